import Ledger

/// How the store's Merkle log signs checkpoints. Entries are appended whether or not a key is
/// set; without one, no checkpoint is signed (and nothing can be proven or synced yet).
public struct LogOptions: Sendable {
    /// Signs checkpoints; its name is the log's origin line.
    public var signer: NoteSignerKey?
    /// Sign a checkpoint once this many entries are not yet covered by one...
    public var checkpointEveryEntries: Int
    /// ...or once the oldest uncovered entry is this old (checked at each write).
    public var checkpointEverySeconds: Double

    public init(signer: NoteSignerKey? = nil, checkpointEveryEntries: Int = 1000, checkpointEverySeconds: Double = 10) {
        self.signer = signer
        self.checkpointEveryEntries = checkpointEveryEntries
        self.checkpointEverySeconds = checkpointEverySeconds
    }
}
