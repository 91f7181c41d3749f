import Ledger

/// A checkpoint the cloud verified and stored: the tree size it covers, its root, and the signed
/// note exactly as received (so it can be handed back and re-verified by anyone).
public struct AcceptedCheckpoint: Sendable, Equatable {
    public var size: UInt64
    public var rootHash: Hash
    public var signedNote: String

    public init(size: UInt64, rootHash: Hash, signedNote: String) {
        self.size = size
        self.rootHash = rootHash
        self.signedNote = signedNote
    }
}
