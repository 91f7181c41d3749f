import Crypto
import Foundation

/// An Ed25519 note signing key in the text form `PRIVATE+KEY+name+hex(keyID)+base64(0x01||seed)`.
///
/// Holds the 32-byte seed; treat values of this type (and `text`) as secrets.
public struct NoteSignerKey: Sendable {
    public let name: String
    public let keyID: UInt32
    private let seed: [UInt8]
    public let verifierKey: NoteVerifierKey

    /// A key from a 32-byte Ed25519 seed (RFC 8032 private key).
    public init(name: String, seed: [UInt8]) throws {
        guard seed.count == 32 else {
            throw LedgerError(.malformedKey, "Ed25519 seed for '\(name)' is \(seed.count) bytes, not 32")
        }
        let privateKey: Curve25519.Signing.PrivateKey
        do {
            privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw LedgerError(.malformedKey, "Ed25519 seed for '\(name)' was rejected by the crypto library", cause: error)
        }
        let verifier = try NoteVerifierKey(name: name, publicKey: Array(privateKey.publicKey.rawRepresentation))
        self.name = name
        self.seed = seed
        self.verifierKey = verifier
        self.keyID = verifier.keyID
    }

    /// Parses `PRIVATE+KEY+name+hash+base64seed`, checking the key hash against the derived public key.
    public init(parsing text: String) throws {
        let prefix = "PRIVATE+KEY+"
        guard text.hasPrefix(prefix) else {
            throw LedgerError(.malformedKey, "signer key text does not start with '\(prefix)'")
        }
        // Do not echo the secret into error messages.
        let (name, keyID, seed) = try NoteVerifierKey.splitKeyText(String(text.dropFirst(prefix.count)), what: "signer key")
        try self.init(name: name, seed: seed)
        guard self.keyID == keyID else {
            throw LedgerError(
                .keyHashMismatch,
                "signer key for '\(name)' says key hash \(hex8(keyID)) but its name and public key hash to \(hex8(self.keyID))")
        }
    }

    /// A new random key.
    public static func generate(name: String) throws -> NoteSignerKey {
        try NoteSignerKey(name: name, seed: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    /// The secret text form.
    public var text: String {
        "PRIVATE+KEY+\(name)+\(hex8(keyID))+\(Base64.encode([NoteVerifierKey.ed25519Algorithm] + seed))"
    }

    /// Ed25519 signature (64 bytes) of `message`.
    func sign(_ message: [UInt8]) throws -> [UInt8] {
        do {
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            return Array(try key.signature(for: message))
        } catch {
            throw LedgerError(.invalidSignature, "signing with key '\(name)' failed", cause: error)
        }
    }
}
