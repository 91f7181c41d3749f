/// Signing and opening checkpoints as C2SP signed notes.
extension Checkpoint {
    /// The signed note text of this checkpoint, signed by each key in order (log key first).
    public func signedNote(with keys: [NoteSignerKey]) throws -> String {
        try SignedNote.sign(text: body, with: keys).formatted
    }

    /// Verifies a signed checkpoint: the note's signatures against `verifierKeys` (see
    /// `SignedNote.verifiedSignatures`), then the body grammar, then (if given) that its origin is
    /// byte-for-byte `origin`.
    public static func open(_ signedNote: String, verifierKeys: [NoteVerifierKey], origin: String? = nil) throws -> Checkpoint {
        let note = try SignedNote.open(signedNote, verifierKeys: verifierKeys)
        let checkpoint = try Checkpoint.parse(note.text)
        if let origin, !checkpoint.origin.utf8.elementsEqual(origin.utf8) {
            throw LedgerError(
                .originMismatch, "checkpoint is for log '\(checkpoint.origin)', but log '\(origin)' was expected")
        }
        return checkpoint
    }
}
