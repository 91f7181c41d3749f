import Foundation
import GRDB
import GatewayCore
import Ledger

/// What the gateway sends next to the cloud: the entries after what the cloud accepted, up to a
/// signed checkpoint, with the consistency proof from the accepted size.
public struct PendingSyncBatch: Sendable, Equatable {
    public var firstIndex: UInt64
    public var entries: [Data]
    /// The signed note of the checkpoint the batch ends at (covers `firstIndex + entries.count`).
    public var checkpoint: String
    public var size: UInt64
    public var previousSize: UInt64
    /// RFC 9162 consistency proof from `previousSize` to `size` (empty from 0).
    public var consistencyProof: [Hash]
    /// Entries the store holds beyond this batch's end (still to send).
    public var remaining: UInt64
}

extension GatewayStore {
    /// The next batch after `accepted` entries, read in one snapshot: it ends at the largest
    /// signed checkpoint within `maxEntries` of `accepted` (or, if the next checkpoint is further
    /// away, at that one). Nil when no checkpoint covers more than `accepted` entries.
    public func pendingSyncBatch(after accepted: UInt64, maxEntries: Int) throws -> PendingSyncBatch? {
        try read("cannot read the log of") { db in
            let limit = Int64(accepted) + Int64(max(1, maxEntries))
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT size, note FROM log_checkpoints WHERE size > ? AND size <= ? ORDER BY size DESC LIMIT 1
                """), arguments: [Int64(accepted), limit])
                ?? Row.fetchOne(db.cachedStatement(sql: "SELECT size, note FROM log_checkpoints WHERE size > ? ORDER BY size LIMIT 1"),
                                arguments: [Int64(accepted)])
            guard let row else { return nil }
            let size = UInt64(row[0] as Int64)
            var entries: [Data] = []
            entries.reserveCapacity(Int(size - accepted))
            let cursor = try Data.fetchCursor(db.cachedStatement(sql: "SELECT bytes FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx"),
                                              arguments: [Int64(accepted), Int64(size)])
            while let bytes = try cursor.next() { entries.append(bytes) }
            guard UInt64(entries.count) == size - accepted else {
                throw GatewayError(.storage, "\(path): the log should hold entries \(accepted)..<\(size) but has \(entries.count) of them; the database is damaged")
            }
            let total = try LogWriter.size(db)
            let tree = MerkleTree(store: SQLiteNodeStore(db: db), count: total)
            let proof = accepted > 0 ? try tree.consistencyProof(from: accepted, to: size) : []
            return PendingSyncBatch(firstIndex: accepted, entries: entries, checkpoint: row[1], size: size,
                                    previousSize: accepted, consistencyProof: proof, remaining: total - size)
        }
    }
}
