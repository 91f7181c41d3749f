import Foundation
import GRDB
import Ledger

/// The cloud's copy of one gateway's Merkle tree, keyed by origin, read and written through the
/// caller's transaction so nodes commit (or roll back) with the entries they hash.
///
/// Only nodes of level `lowestStoredLevel` (4: subtrees of 16 leaves) and above are rows of the
/// `nodes` table. A node below is recomputed from the at most 8 stored entries it covers when read.
/// Why: a tree has n / 2^L nodes at level L, so levels 0-3 are 15/16 of all nodes, almost two rows
/// per entry on top of the entry itself; the entries table already determines them, and leaving
/// them out more than doubles the rate at which a batch is stored. Reads (a batch's frontier, a
/// proof) touch at most one such node per level.
///
/// Statements are looked up once per store, not per node, and inserts bind through the C API
/// (`OriginRowInserter`).
public struct SQLiteCloudNodeStore: MerkleNodeStore {
    public static let lowestStoredLevel = 4

    let origin: String
    private let selectNode: Statement
    private let selectEntries: Statement
    private let insert: OriginRowInserter?

    init(db: Database, origin: String, writable: Bool) throws {
        self.origin = origin
        selectNode = try db.cachedStatement(sql: "SELECT hash FROM nodes WHERE origin = ? AND level = ? AND idx = ?")
        selectEntries = try db.cachedStatement(
            sql: "SELECT bytes FROM entries WHERE origin = ? AND idx >= ? AND idx < ? ORDER BY idx")
        insert = writable
            ? try OriginRowInserter(db: db, sql: "INSERT INTO nodes (origin, level, idx, hash) VALUES (?, ?, ?, ?)", origin: origin, integers: 2)
            : nil
    }

    public func node(level: Int, index: UInt64) throws -> Hash? {
        guard level >= 0, level < 64 else { return nil }
        if level < Self.lowestStoredLevel { return try computedNode(level: level, index: index) }
        guard let bytes = try Data.fetchOne(selectNode, arguments: [origin, level, Int64(bitPattern: index)]) else { return nil }
        return try Hash(validating: bytes, what: "stored node (\(level), \(index)) of '\(origin)'")
    }

    public mutating func setNode(_ hash: Hash, level: Int, index: UInt64) throws {
        guard let insert else {
            throw CloudSyncError(.storage, "cannot write node (\(level), \(index)) of '\(origin)' in a read-only transaction")
        }
        // Below the stored levels the node is the hash of entries written in the same transaction.
        guard level >= Self.lowestStoredLevel else { return }
        try hash.withUnsafeBytes { raw in try insert.insert(Int64(level), Int64(bitPattern: index), blob: raw) }
    }

    /// The root of the perfect subtree over entries `[index << level, (index + 1) << level)`, or nil
    /// if any of them is not stored.
    private func computedNode(level: Int, index: UInt64) throws -> Hash? {
        let width = 1 << level
        let first = index << UInt64(level)
        guard first <= UInt64(Int64.max) - UInt64(width) else { return nil }
        var hashes: [Hash] = []
        hashes.reserveCapacity(width)
        let rows = try Data.fetchCursor(selectEntries, arguments: [origin, Int64(first), Int64(first) + Int64(width)])
        while let bytes = try rows.next() { hashes.append(Hash.leaf(bytes)) }
        guard hashes.count == width else { return nil }
        while hashes.count > 1 {
            hashes = stride(from: 0, to: hashes.count, by: 2).map { Hash.node(hashes[$0], hashes[$0 + 1]) }
        }
        return hashes.first
    }
}
