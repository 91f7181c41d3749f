import Foundation
import GRDB
import Ledger

/// The cloud's copy of one gateway's Merkle tree: its perfect-subtree nodes in the `nodes` table,
/// keyed by origin, read and written through the caller's transaction so nodes commit (or roll
/// back) with the entries they hash.
///
/// Statements are prepared once per store, not looked up per node: a batch writes about two nodes
/// per entry.
public struct SQLiteCloudNodeStore: MerkleNodeStore {
    let origin: String
    private let select: Statement
    private let insert: Statement?

    init(db: Database, origin: String, writable: Bool) throws {
        self.origin = origin
        select = try db.cachedStatement(sql: "SELECT hash FROM nodes WHERE origin = ? AND level = ? AND idx = ?")
        insert = writable ? try db.cachedStatement(sql: "INSERT INTO nodes (origin, level, idx, hash) VALUES (?, ?, ?, ?)") : nil
    }

    public func node(level: Int, index: UInt64) throws -> Hash? {
        guard let bytes = try Data.fetchOne(select, arguments: [origin, level, Int64(bitPattern: index)]) else { return nil }
        return try Hash(validating: bytes, what: "stored node (\(level), \(index)) of '\(origin)'")
    }

    public mutating func setNode(_ hash: Hash, level: Int, index: UInt64) throws {
        guard let insert else {
            throw CloudSyncError(.storage, "cannot write node (\(level), \(index)) of '\(origin)' in a read-only transaction")
        }
        try hash.withUnsafeBytes { raw in
            try insert.execute(arguments: [origin, level, Int64(bitPattern: index), Data(raw)])
        }
    }
}
