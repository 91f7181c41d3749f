import Foundation
import GRDB
import Ledger

/// The Merkle log's perfect-subtree nodes in the `log_nodes` table, read and written through
/// the caller's database connection, so appends commit (or roll back) with the entries they hash.
struct SQLiteNodeStore: MerkleNodeStore {
    let db: Database

    func node(level: Int, index: UInt64) throws -> Hash? {
        let statement = try db.cachedStatement(sql: "SELECT hash FROM log_nodes WHERE level = ? AND idx = ?")
        guard let bytes = try Data.fetchOne(statement, arguments: [level, Int64(bitPattern: index)]) else { return nil }
        return try Hash(validating: bytes, what: "stored log node (\(level), \(index))")
    }

    mutating func setNode(_ hash: Hash, level: Int, index: UInt64) throws {
        try db.cachedStatement(sql: "INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)")
            .execute(arguments: [level, Int64(bitPattern: index), Data(hash.bytes)])
    }
}
