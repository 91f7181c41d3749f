import GatewayAPI
import GatewayApp
import GatewayCore
import Testing

@Suite struct ConfigTokensTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    @Test func tokensAreReadWithTheirRoles() throws {
        let config = try ConfigLoader.parse(yaml: """
            http:
              tokens:
                - {name: grafana, digest: "\(Self.digest)"}
                - {name: site-tech, role: operator, digest: "\(Self.digest.uppercased().replacingOccurrences(of: "SHA256", with: "sha256"))"}
            """)
        #expect(config.http.tokens.map(\.name) == ["grafana", "site-tech"])
        #expect(config.http.tokens.map(\.role) == [.read, .operator])
        #expect(config.http.tokens[0].digest == [UInt8](repeating: 0xab, count: 32))
        #expect(try ConfigLoader.parse(yaml: "").http.tokens.isEmpty)
    }

    @Test func badTokenEntriesNameTheKeyAndTheFix() throws {
        let cases: [(String, String)] = [
            ("- {name: a, digest: sgw_plaintexttoken}", "http.tokens[0].digest must be 'sha256:'"),
            ("- {name: a, role: admin, digest: \"\(Self.digest)\"}", "http.tokens[0].role 'admin' is not a role; use read or operator"),
            ("- {digest: \"\(Self.digest)\"}", "http.tokens[0].name is missing"),
            ("- {name: a, digest: \"\(Self.digest)\"}\n    - {name: a, digest: \"\(Self.digest)\"}", "http.tokens[1].name 'a' is used twice"),
            ("- {name: a, digest: \"\(Self.digest)\", secret: x}", "unknown key 'http.tokens[0].secret'"),
        ]
        for (entry, expected) in cases {
            let error = #expect(throws: GatewayError.self) {
                try ConfigLoader.parse(yaml: "http:\n  tokens:\n    \(entry)\n", source: "gw.yaml")
            }
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error") lacks \(expected)")
        }
    }
}
