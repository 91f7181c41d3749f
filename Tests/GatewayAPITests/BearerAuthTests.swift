import Foundation
import GatewayAPI
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@Suite struct BearerAuthTests {
    let read = APIToken.generate(name: "grafana", role: .read)
    let op = APIToken.generate(name: "site-tech", role: .operator)

    func app() -> some ApplicationProtocol {
        let reader = NothingStoredReader()
        return Application(router: GatewayRouter.build(
            registry: PrometheusCollectorRegistry(), tokens: [read.entry, op.entry], reader: reader, syncPull: reader))
    }

    func headers(_ token: String?) -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        return fields
    }

    @Test func healthzIsOpenAndEverythingElseNeedsAToken() async throws {
        try await app().test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            for uri in ["/readyz", "/metrics", "/v1/status", "/v1/devices", "/v1/events", "/v1/telemetry", "/v1/checkpoint", "/v1/proofs/0"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="sensing-gateway""#)
                    #expect(String(buffer: response.body).contains("Authorization: Bearer"))
                }
            }
        }
    }

    @Test func wrongTokensAreRefusedWithoutEchoingThem() async throws {
        let wrong = "sgw_" + String(read.token.dropFirst(4).reversed())
        try await app().test(.live) { client in
            for header in ["Bearer \(wrong)", "Bearer ", "Basic dXNlcjpwYXNz", read.token] {
                var fields = HTTPFields()
                fields[.authorization] = header
                try await client.execute(uri: "/v1/status", method: .get, headers: fields) { response in
                    #expect(response.status == .unauthorized, "\(header.prefix(6))")
                    #expect(!String(buffer: response.body).contains(wrong))
                }
            }
        }
    }

    @Test func rolesDecideWhatATokenMayDo() async throws {
        let ack = ByteBuffer(string: #"{"size": 0}"#)
        try await app().test(.live) { client in
            try await client.execute(uri: "/v1/status", method: .get, headers: headers(read.token)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/status", method: .get, headers: headers(op.token)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/sync/ack", method: .post, headers: headers(read.token), body: ack) { response in
                #expect(response.status == .forbidden)
                let body = String(buffer: response.body)
                #expect(body.contains("token 'grafana' has role read"))
                #expect(body.contains("needs role operator"))
            }
            try await client.execute(uri: "/v1/sync/ack", method: .post, headers: headers(op.token), body: ack) { #expect($0.status == .ok) }
        }
    }

    @Test func digestsRoundTripThroughTheirConfigForm() throws {
        let text = read.entry.digestText
        #expect(text.hasPrefix("sha256:") && text.count == 71)
        #expect(APIToken.parseDigest(text) == read.entry.digest)
        #expect(APIToken.parseDigest(text.uppercased().replacingOccurrences(of: "SHA256:", with: "sha256:")) == read.entry.digest)
        #expect(APIToken.parseDigest("sha256:abc") == nil)
        #expect(APIToken.parseDigest(String(text.dropLast()) + "g") == nil)
        #expect(APIToken.parseDigest(read.token) == nil)
        #expect(APIToken.match(read.token, in: [op.entry, read.entry])?.name == "grafana")
        #expect(APIToken.match(op.token, in: [read.entry]) == nil)
        #expect(read.token != op.token && read.token.hasPrefix("sgw_") && read.token.count > 40)
    }
}
