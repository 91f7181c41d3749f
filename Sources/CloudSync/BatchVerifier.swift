import Foundation
import Ledger

/// Verifies a pushed batch against what the cloud accepted before and, only if every check holds,
/// stores it. Runs inside one storage transaction (`CloudStorage.write`): any thrown error rolls
/// back, so unverified data is never stored, and the accepted state cannot change under it.
///
/// Order: origin enrolled -> checkpoint signed by that origin's key, for that origin -> checkpoint
/// size = first_index + entries -> a retry of held entries is acknowledged as is -> no gap, no
/// stale base -> consistency proof from the accepted checkpoint to the new one -> entries appended
/// to the cloud's copy of the tree give the checkpoint's root -> store entries, nodes, checkpoint.
public enum BatchVerifier {
    public enum Outcome: Sendable, Equatable {
        /// The entries were verified and stored; the state is the new one.
        case appended(GatewayLogState)
        /// The cloud already held every entry of the batch, consistent with its checkpoint; nothing
        /// was written.
        case alreadyHeld(GatewayLogState)

        public var state: GatewayLogState {
            switch self {
            case .appended(let state), .alreadyHeld(let state): state
            }
        }
    }

    public static func ingest<T: CloudLedgerTransaction>(
        _ batch: SyncBatchSubmission, in tx: T, now: Int64
    ) throws -> Outcome {
        let origin = batch.origin
        guard let key = try tx.verifierKey(origin: origin) else {
            throw CloudSyncError(.unknownOrigin, "origin '\(origin)' is not enrolled; add it with its verifier key to the service's gateways config and restart")
        }
        let checkpoint = try open(batch.signedCheckpoint, key: key, origin: origin)
        guard checkpoint.size == batch.endIndex else {
            throw CloudSyncError(.rootMismatch, "the batch carries \(batch.entries.count) entries from index \(batch.firstIndex), reaching tree size \(batch.endIndex), but its checkpoint covers \(checkpoint.size) entries: entries were dropped or added; send exactly the entries up to the checkpoint's size")
        }
        let accepted = try tx.latestCheckpoint(origin: origin)
        let acceptedSize = accepted?.size ?? 0
        let state = GatewayLogState(origin: origin, accepted: accepted)

        if batch.endIndex <= acceptedSize {
            try checkAlreadyHeld(batch, checkpoint: checkpoint, in: tx)
            return .alreadyHeld(state)
        }
        guard batch.firstIndex <= acceptedSize else {
            throw CloudSyncError(.gap, "the batch starts at index \(batch.firstIndex) but the cloud holds \(acceptedSize) entries of '\(origin)'; entries \(acceptedSize)..<\(batch.firstIndex) are missing: send from index \(acceptedSize) (GET /v1/gateways/{origin}/checkpoint tells where to resume)")
        }
        guard batch.firstIndex == acceptedSize, batch.previousSize == acceptedSize else {
            throw CloudSyncError(.stalePrevious, "the batch starts at index \(batch.firstIndex) with previous_size \(batch.previousSize), but the cloud has accepted \(acceptedSize) entries of '\(origin)'; rebuild it from index \(acceptedSize) with previous_size \(acceptedSize) and a consistency proof from that size (GET /v1/gateways/{origin}/checkpoint)")
        }
        if let accepted {
            do {
                try MerkleVerifier.verifyConsistency(
                    oldSize: accepted.size, newSize: checkpoint.size, oldRoot: accepted.rootHash,
                    newRoot: checkpoint.rootHash, proof: batch.consistencyProof)
            } catch let error as LedgerError {
                throw CloudSyncError(.inconsistent, "the checkpoint of size \(checkpoint.size) does not extend the accepted checkpoint of size \(accepted.size) (\(error.message)); either the proof is wrong or '\(origin)' forked its log. The cloud keeps its accepted log; investigate the gateway before resending", cause: error)
            }
        }

        var tree = MerkleTree(store: AppendingNodeStore(base: try tx.nodes(origin: origin), size: acceptedSize), count: acceptedSize)
        for leafHash in batch.leafHashes { try tree.append(leafHash: leafHash) }
        let root = try tree.rootHash()
        guard root == checkpoint.rootHash else {
            throw CloudSyncError(.rootMismatch, "entries \(batch.firstIndex)..<\(batch.endIndex) appended to the accepted log give root \(root.base64), but the checkpoint says \(checkpoint.rootHash.base64): an entry was altered, dropped, added or reordered. Send the entries exactly as they were logged")
        }

        var nodes = tree.store
        try nodes.flush()
        try tx.insertEntries(batch.entries, origin: origin, firstIndex: batch.firstIndex)
        let newCheckpoint = AcceptedCheckpoint(size: checkpoint.size, rootHash: root, signedNote: batch.signedCheckpoint)
        try tx.insertCheckpoint(newCheckpoint, origin: origin, acceptedAt: now)
        return .appended(GatewayLogState(origin: origin, accepted: newCheckpoint))
    }

    /// Opens the signed note with the enrolled key, mapping each failure to the code a client acts on.
    static func open(_ note: String, key: NoteVerifierKey, origin: String) throws -> Checkpoint {
        do {
            return try Checkpoint.open(note, verifierKeys: [key], origin: origin)
        } catch let error as LedgerError {
            switch error.code {
            case .invalidSignature, .noVerifiedSignature:
                throw CloudSyncError(.badSignature, "the checkpoint is not signed by the key enrolled for '\(origin)' (\(key.text)): \(error.message). Sign with that gateway's key, or enroll its current verifier key", cause: error)
            case .originMismatch:
                throw CloudSyncError(.originMismatch, "\(error.message); a gateway's batches go to the path of its checkpoint's origin", cause: error)
            default:
                throw CloudSyncError(.malformedBatch, "the checkpoint is not a C2SP signed checkpoint: \(error.message)", cause: error)
            }
        }
    }

    /// A batch ending at or before the accepted size is a retry if its checkpoint has the root the
    /// cloud's tree has at that size and its entries are the stored ones; anything else means the
    /// gateway's log now disagrees with what it pushed before.
    static func checkAlreadyHeld<T: CloudLedgerTransaction>(_ batch: SyncBatchSubmission, checkpoint: Checkpoint, in tx: T) throws {
        let held = try tx.nodes(origin: batch.origin).rootHash(size: checkpoint.size)
        guard held == checkpoint.rootHash else {
            throw CloudSyncError(.inconsistent, "the checkpoint of size \(checkpoint.size) has root \(checkpoint.rootHash.base64), but the tree the cloud accepted has root \(held.base64) at that size: '\(batch.origin)' forked its log. The cloud keeps its accepted log; investigate the gateway")
        }
        let stored = try tx.entries(origin: batch.origin, from: batch.firstIndex, limit: batch.entries.count)
        guard stored.count == batch.entries.count else {
            throw CloudSyncError(.storage, "the cloud's copy of '\(batch.origin)' lacks entries \(batch.firstIndex)..<\(batch.endIndex) below its accepted size; the database is damaged")
        }
        for (entry, sent) in zip(stored, batch.entries) where entry.bytes != sent {
            throw CloudSyncError(.rootMismatch, "entry \(entry.index) differs from the one accepted at that index, although the checkpoint matches; it was altered after logging. Send the entries exactly as they were logged")
        }
    }
}

/// Microseconds since 1970, the unit of `accepted_us`.
func unixMicrosNow() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
}
