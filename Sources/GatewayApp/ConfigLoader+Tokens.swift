import GatewayAPI
import GatewayCore

extension ConfigLoader {
    /// `http.tokens`: a list of `{name, role, digest}` where digest is the `sha256:<hex>` that
    /// `gateway token new` prints. Names must be unique (they are what logs and 403s show).
    static func parseTokens(_ r: inout SectionReader, source: String) throws -> [APIToken] {
        var tokens: [APIToken] = []
        var index = 0
        try r.list("tokens") { t in
            let at = "\(source): http.tokens[\(index)]"
            index += 1
            let name = try t.string("name", default: "")
            guard !name.isEmpty else {
                throw GatewayError(.invalidConfig, "\(at).name is missing; give each token a name (shown in logs, never the token)")
            }
            let roleText = try t.string("role", default: "read")
            guard let role = APIRole(rawValue: roleText) else {
                throw GatewayError(.invalidConfig, "\(at).role '\(roleText)' is not a role; use read or operator")
            }
            let digestText = try t.string("digest", default: "")
            guard let digest = APIToken.parseDigest(digestText) else {
                throw GatewayError(.invalidConfig, "\(at).digest must be 'sha256:' and 64 hex digits, as 'gateway token new' prints; never put the token itself in the config")
            }
            guard !tokens.contains(where: { $0.name == name }) else {
                throw GatewayError(.invalidConfig, "\(at).name '\(name)' is used twice; token names must be unique")
            }
            tokens.append(APIToken(name: name, role: role, digest: digest))
        }
        return tokens
    }
}
