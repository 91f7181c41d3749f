import Crypto
import Foundation

/// One bearer token the API accepts, as the config holds it: a name (for logs, never the token),
/// a role, and the SHA-256 of the token. Tokens are 32 random bytes (`gateway token new`), so a
/// plain hash is enough: nobody can search that space, and a leaked config reveals no token.
public struct APIToken: Sendable, Equatable {
    public var name: String
    public var role: APIRole
    /// SHA-256 of the token's UTF-8 bytes.
    public var digest: [UInt8]

    public init(name: String, role: APIRole, digest: [UInt8]) {
        self.name = name
        self.role = role
        self.digest = digest
    }

    /// Prefix of every generated token (lets secret scanners recognise one).
    public static let prefix = "sgw_"

    /// A new random token and its config entry.
    public static func generate(name: String, role: APIRole) -> (token: String, entry: APIToken) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return (token, APIToken(name: name, role: role, digest: digest(of: token)))
    }

    public static func digest(of token: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(token.utf8)))
    }

    /// The config form of the digest: `sha256:` and 64 hex digits.
    public var digestText: String {
        "sha256:" + digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Parses `sha256:<64 hex digits>`; nil for anything else.
    public static func parseDigest(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("sha256:") else { return nil }
        let hex = Array(text.dropFirst(7).utf8)
        guard hex.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.nibble(hex[i]), let low = Self.nibble(hex[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The token among `tokens` whose digest equals that of `presented`. Every digest is compared
    /// in full, in time that does not depend on where the bytes differ.
    public static func match(_ presented: String, in tokens: [APIToken]) -> APIToken? {
        let digest = digest(of: presented)
        var found: APIToken?
        for token in tokens where token.digest.count == digest.count {
            var difference: UInt8 = 0
            for i in 0..<digest.count { difference |= digest[i] ^ token.digest[i] }
            if difference == 0, found == nil { found = token }
        }
        return found
    }
}
