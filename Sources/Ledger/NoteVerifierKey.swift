import Crypto
import Foundation

/// An Ed25519 note verifier key in the C2SP signed-note text form `name+hex(keyID)+base64(0x01||pub)`.
public struct NoteVerifierKey: Sendable, Hashable {
    /// Signature algorithm byte for Ed25519 (C2SP signed-note).
    static let ed25519Algorithm: UInt8 = 0x01

    public let name: String
    /// First 4 bytes (big-endian) of SHA-256(name || "\n" || 0x01 || public key).
    public let keyID: UInt32
    /// The 32-byte Ed25519 public key.
    public let publicKey: [UInt8]

    public init(name: String, publicKey: [UInt8]) throws {
        try NoteVerifierKey.checkName(name)
        guard publicKey.count == 32 else {
            throw LedgerError(.malformedKey, "Ed25519 public key for '\(name)' is \(publicKey.count) bytes, not 32")
        }
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteVerifierKey.keyID(name: name, algorithmAndKey: [NoteVerifierKey.ed25519Algorithm] + publicKey)
    }

    /// Parses `name+hash+base64key`, checking the key hash against the name and key.
    public init(parsing text: String) throws {
        let (name, keyID, key) = try NoteVerifierKey.splitKeyText(text, what: "verifier key '\(text)'")
        try self.init(name: name, publicKey: key)
        guard self.keyID == keyID else {
            throw LedgerError(
                .keyHashMismatch,
                "verifier key for '\(name)' says key hash \(hex8(keyID)) but its name and key hash to \(hex8(self.keyID))")
        }
    }

    /// The text form, e.g. `PeterNeumann+c74f20a3+ARpc2Qc...`.
    public var text: String {
        "\(name)+\(hex8(keyID))+\(Base64.encode([NoteVerifierKey.ed25519Algorithm] + publicKey))"
    }

    /// Whether `signature` is a valid Ed25519 signature of `message` by this key.
    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else {
            return false
        }
        return key.isValidSignature(signature, for: message)
    }

    static func keyID(name: String, algorithmAndKey: [UInt8]) -> UInt32 {
        var sha = SHA256()
        sha.update(data: Array(name.utf8) + [0x0A] + algorithmAndKey)
        return sha.finalize().withUnsafeBytes { raw in
            raw.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
    }

    /// Key names are non-empty, valid UTF-8 (guaranteed by String), with no whitespace and no '+'.
    static func checkName(_ name: String) throws {
        guard isValidName(name) else {
            throw LedgerError(.malformedKey, "key name '\(name)' must be non-empty with no whitespace and no '+'")
        }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("+") && !name.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    /// Splits `name+hex8+base64` and decodes the key as 0x01 followed by 32 bytes.
    static func splitKeyText(_ text: String, what: String) throws -> (name: String, keyID: UInt32, key: [UInt8]) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw LedgerError(.malformedKey, "\(what) is not of the form name+keyhash+base64key")
        }
        let hashText = parts[1]
        guard hashText.utf8.count == 8, let keyID = UInt32(hashText, radix: 16), hashText.utf8.allSatisfy(isHexDigit) else {
            throw LedgerError(.malformedKey, "\(what): key hash '\(hashText)' is not 8 hex digits")
        }
        guard let key = Base64.decode(parts[2]) else {
            throw LedgerError(.malformedKey, "\(what): key part is not padded standard base64")
        }
        guard key.count == 33, key[0] == ed25519Algorithm else {
            throw LedgerError(
                .malformedKey,
                "\(what): key must be the Ed25519 algorithm byte 0x01 and 32 bytes, got \(key.count) bytes starting \(key.first.map { String($0) } ?? "nothing")")
        }
        return (String(parts[0]), keyID, Array(key.dropFirst()))
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
    }
}

func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
