import Foundation
import Ledger

/// A `CloudLedgerTransaction` over what a storage loaded in advance for one batch, recording
/// the writes the verifier makes so the storage can apply them in its own transaction.
///
/// `BatchVerifier` reads only: the origin's key, its latest checkpoint, the perfect subtrees of
/// one tree size (the accepted size, or the batch's end for a retry), and for a retry the held
/// entries of the batch's range. ``PrefetchPlan`` says which; anything else asked for is a bug
/// and fails loudly rather than reading a wrong value.
final class PrefetchedLedgerTransaction: CloudLedgerTransaction {
    struct Writes {
        var entries: [Data] = []
        var firstIndex: UInt64 = 0
        var nodes: [(level: Int, index: UInt64, hash: Hash)] = []
        var checkpoint: (AcceptedCheckpoint, acceptedAt: Int64)?
    }

    let origin: String
    let key: NoteVerifierKey?
    let accepted: AcceptedCheckpoint?
    let knownNodes: [NodeKey: Hash]
    let heldEntries: [StoredEntry]
    fileprivate(set) var writes = Writes()

    struct NodeKey: Hashable {
        var level: Int
        var index: UInt64
    }

    init(origin: String, key: NoteVerifierKey?, accepted: AcceptedCheckpoint?, nodes: [NodeKey: Hash], heldEntries: [StoredEntry]) {
        self.origin = origin
        self.key = key
        self.accepted = accepted
        self.knownNodes = nodes
        self.heldEntries = heldEntries
    }

    func verifierKey(origin: String) throws -> NoteVerifierKey? {
        try check(origin)
        return key
    }

    func latestCheckpoint(origin: String) throws -> AcceptedCheckpoint? {
        try check(origin)
        return accepted
    }

    func nodes(origin: String) throws -> PrefetchedNodeStore {
        try check(origin)
        return PrefetchedNodeStore(transaction: self)
    }

    func entries(origin: String, from index: UInt64, limit: Int) throws -> [StoredEntry] {
        try check(origin)
        return heldEntries.filter { $0.index >= index }.prefix(limit).map { $0 }
    }

    func insertEntries(_ entries: [Data], origin: String, firstIndex: UInt64) throws {
        try check(origin)
        writes.entries = entries
        writes.firstIndex = firstIndex
    }

    func insertCheckpoint(_ checkpoint: AcceptedCheckpoint, origin: String, acceptedAt: Int64) throws {
        try check(origin)
        writes.checkpoint = (checkpoint, acceptedAt)
    }

    fileprivate func recordNode(_ hash: Hash, level: Int, index: UInt64) {
        writes.nodes.append((level, index, hash))
    }

    private func check(_ asked: String) throws {
        guard asked == origin else {
            throw CloudSyncError(.storage, "internal error: a transaction prefetched for '\(origin)' was asked about '\(asked)'")
        }
    }
}

/// The prefetched perfect-subtree nodes; new nodes are recorded for the storage to insert.
struct PrefetchedNodeStore: MerkleNodeStore {
    let transaction: PrefetchedLedgerTransaction

    func node(level: Int, index: UInt64) throws -> Hash? {
        guard let hash = transaction.knownNodes[.init(level: level, index: index)] else {
            throw CloudSyncError(.storage, "internal error: node (\(level), \(index)) of '\(transaction.origin)' was not prefetched; the prefetch plan and the verifier disagree")
        }
        return hash
    }

    mutating func setNode(_ hash: Hash, level: Int, index: UInt64) throws {
        transaction.recordNode(hash, level: level, index: index)
    }
}

/// What to load before verifying a batch: the nodes of one tree size, and for a retry (a batch
/// ending at or before the accepted size) the held entries it must match.
struct PrefetchPlan {
    let treeSize: UInt64
    let heldRange: Range<UInt64>?

    init(batch: SyncBatchSubmission, acceptedSize: UInt64) {
        if batch.endIndex <= acceptedSize {
            treeSize = batch.endIndex
            heldRange = batch.firstIndex..<batch.endIndex
        } else {
            treeSize = acceptedSize
            heldRange = nil
        }
    }

    /// The perfect subtrees a tree of `size` leaves decomposes into, left to right: one per set
    /// bit, largest first (the nodes `rangeHash(0, size)` and appends after `size` read).
    static func perfectSubtrees(of size: UInt64) -> [(level: Int, index: UInt64)] {
        var nodes: [(Int, UInt64)] = []
        var offset: UInt64 = 0
        var remaining = size
        while remaining > 0 {
            let level = 63 - remaining.leadingZeroBitCount
            nodes.append((level, offset >> UInt64(level)))
            offset += UInt64(1) << UInt64(level)
            remaining -= UInt64(1) << UInt64(level)
        }
        return nodes
    }
}
