/// A C2SP signed note: text ending in "\n", a blank line, then one or more signature lines.
///
/// `parse` checks only the grammar; `open` (or `verifiedSignatures`) also checks the signatures the
/// way Go's `golang.org/x/mod/sumdb/note.Open` does: signatures from unknown keys are ignored, a
/// signature from a known key that does not verify rejects the note, and at least one signature
/// must be from a known key.
public struct SignedNote: Sendable, Hashable {
    /// The signed text, ending in "\n" (the exact bytes the signatures cover).
    public let text: String
    public let signatures: [NoteSignature]

    /// Upper bound on signature lines, as in Go's implementation.
    static let maxSignatures = 100
    private static let signaturePrefix: [UInt8] = Array("\u{2014} ".utf8)

    public init(text: String, signatures: [NoteSignature] = []) throws {
        try SignedNote.checkCharacters(text, what: "note text")
        guard text.utf8.last == 0x0A else {
            throw LedgerError(.malformedNote, "note text must be non-empty and end with a newline")
        }
        self.text = text
        self.signatures = signatures
    }

    /// The note as transmitted: text, blank line, signature lines.
    public var formatted: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// Signs `text` with each key, in order.
    public static func sign(text: String, with keys: [NoteSignerKey]) throws -> SignedNote {
        var note = try SignedNote(text: text)
        for key in keys { note = try note.adding(signatureFrom: key) }
        return note
    }

    /// This note with one more signature (e.g. a witness cosignature) appended.
    public func adding(signatureFrom key: NoteSignerKey) throws -> SignedNote {
        let signature = try key.sign(Array(text.utf8))
        return try SignedNote(
            text: text, signatures: signatures + [NoteSignature(name: key.name, keyID: key.keyID, signature: signature)])
    }

    /// Parses a note without verifying any signature.
    public static func parse(_ note: String) throws -> SignedNote {
        try checkCharacters(note, what: "signed note")
        let bytes = Array(note.utf8)
        guard let split = lastBlankLine(in: bytes) else {
            throw LedgerError(.malformedNote, "signed note has no blank line before its signature lines")
        }
        let text = String(decoding: bytes[..<(split + 1)], as: UTF8.self)
        let block = bytes[(split + 2)...]
        guard !block.isEmpty, block.last == 0x0A else {
            throw LedgerError(.malformedNote, "signed note has no signature lines, or its last line does not end with a newline")
        }
        let lines = block.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count <= maxSignatures else {
            throw LedgerError(.malformedNote, "signed note has \(lines.count) signature lines; at most \(maxSignatures) are accepted")
        }
        let signatures = try lines.enumerated().map { try parseSignatureLine(Array($1), number: $0 + 1) }
        return try SignedNote(text: text, signatures: signatures)
    }

    /// Parses `note` and checks its signatures against `verifierKeys`.
    public static func open(_ note: String, verifierKeys: [NoteVerifierKey]) throws -> SignedNote {
        let parsed = try parse(note)
        _ = try parsed.verifiedSignatures(with: verifierKeys)
        return parsed
    }

    /// The signatures made by `keys` (each key counted once). Throws `.invalidSignature` if a
    /// signature from one of `keys` does not verify, `.noVerifiedSignature` if none is from `keys`.
    public func verifiedSignatures(with keys: [NoteVerifierKey]) throws -> [NoteSignature] {
        let message = Array(text.utf8)
        var verified: [NoteSignature] = []
        for signature in signatures {
            let nameBytes = Array(signature.name.utf8)
            guard let key = keys.first(where: { $0.keyID == signature.keyID && Array($0.name.utf8) == nameBytes }) else {
                continue  // unknown signer: ignored
            }
            if verified.contains(where: { $0.keyID == signature.keyID && Array($0.name.utf8) == nameBytes }) {
                continue  // repeated signature by one key
            }
            guard key.isValidSignature(signature.signature, for: message) else {
                throw LedgerError(
                    .invalidSignature,
                    "signature by known key '\(signature.name)' (\(hex8(signature.keyID))) does not verify over the note text")
            }
            verified.append(signature)
        }
        guard !verified.isEmpty else {
            let names = signatures.map { "\($0.name)+\(hex8($0.keyID))" }.joined(separator: ", ")
            let known = keys.map { "\($0.name)+\(hex8($0.keyID))" }.joined(separator: ", ")
            throw LedgerError(
                .noVerifiedSignature,
                "note is signed by [\(names)], none of which is a given verifier key [\(known)]")
        }
        return verified
    }

    private static func parseSignatureLine(_ line: [UInt8], number: Int) throws -> NoteSignature {
        guard line.starts(with: signaturePrefix) else {
            throw LedgerError(.malformedNote, "signature line \(number) does not start with an em dash and a space")
        }
        let rest = line.dropFirst(signaturePrefix.count)
        guard let space = rest.firstIndex(of: 0x20) else {
            throw LedgerError(.malformedNote, "signature line \(number) has no space between key name and signature")
        }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        let encoded = String(decoding: rest[(space + 1)...], as: UTF8.self)
        guard NoteVerifierKey.isValidName(name) else {
            throw LedgerError(.malformedNote, "signature line \(number) has invalid key name '\(name)'")
        }
        guard let raw = Base64.decode(encoded), raw.count >= 5 else {
            throw LedgerError(
                .malformedNote,
                "signature line \(number) ('\(name)'): '\(encoded)' is not padded base64 of a 4-byte key ID and a signature")
        }
        let keyID = raw.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return NoteSignature(name: name, keyID: keyID, signature: Array(raw.dropFirst(4)))
    }

    /// Offset of the first "\n" of the last "\n\n" in `bytes`.
    private static func lastBlankLine(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        var i = bytes.count - 2
        while i >= 0 {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { return i }
            i -= 1
        }
        return nil
    }

    /// Notes are UTF-8 (guaranteed by String) without ASCII control characters other than newline.
    private static func checkCharacters(_ text: String, what: String) throws {
        if let bad = text.unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\n" }) {
            throw LedgerError(.malformedNote, "\(what) contains control character U+\(String(bad.value, radix: 16, uppercase: true)); only newline is allowed")
        }
    }
}
