import Foundation
import GatewayCore
import Ledger

/// Reads the gateway's private note key (`PRIVATE+KEY+name+hash+base64`, as `gateway keys
/// generate` writes it). Errors name the file and the fix and never quote the key.
public enum SigningKeyFile {
    public struct Loaded: Sendable {
        public var key: NoteSignerKey
        /// Set when the file can be read by group or others.
        public var warning: String?
    }

    public static func load(path: String) throws -> Loaded {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw GatewayError(.invalidConfig, exists
                ? "cannot read signing key \(path): permission denied; run the gateway as the key's owner or fix its permissions (chmod 600)"
                : "signing key \(path) does not exist; create one with `gateway keys generate --name ORIGIN --out \(path)`")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GatewayError(.invalidConfig, "signing key \(path) is not text; it must hold one PRIVATE+KEY+... line from `gateway keys generate`")
        }
        let key: NoteSignerKey
        do {
            key = try NoteSignerKey(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch let error as LedgerError {
            // The Ledger's message may quote parts of the text, which here is a secret: give the reason only.
            throw GatewayError(.invalidConfig, "signing key \(path) is not a note signer key (\(error.code)); it must hold one PRIVATE+KEY+name+hash+key line from `gateway keys generate`")
        }
        var warning: String?
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            warning = "signing key \(path) can be read by other users (mode \(String(mode, radix: 8))); run chmod 600 \(path)"
        }
        return Loaded(key: key, warning: warning)
    }
}
