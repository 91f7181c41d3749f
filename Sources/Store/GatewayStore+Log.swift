import Foundation
import GRDB
import GatewayCore
import Ledger

/// A signed checkpoint as the store keeps it.
public struct StoredCheckpoint: Sendable, Equatable {
    public var size: UInt64
    public var rootHash: Hash
    /// The C2SP signed note (checkpoint body, blank line, signature lines).
    public var signedNote: String
    public var signedAt: Int64
}

extension GatewayStore {
    /// Number of entries in the Merkle log.
    public func logSize() throws -> UInt64 {
        try read("cannot read the log of") { db in try LogWriter.size(db) }
    }

    /// The newest signed checkpoint, or nil before the first.
    public func latestCheckpoint() throws -> StoredCheckpoint? {
        try read("cannot read checkpoints from") { db in
            guard let row = try Row.fetchOne(db.cachedStatement(
                sql: "SELECT size, root, note, signed_us FROM log_checkpoints ORDER BY size DESC LIMIT 1")) else { return nil }
            return StoredCheckpoint(size: UInt64(row[0] as Int64), rootHash: try Hash(validating: Array(row[1] as Data), what: "checkpoint root"),
                                    signedNote: row[2], signedAt: row[3])
        }
    }

    /// The bytes of log entry `index` (its `LogEntry` protobuf), or nil beyond the log.
    public func logEntry(index: UInt64) throws -> [UInt8]? {
        try read("cannot read the log of") { db in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT bytes FROM log_entries WHERE idx = ?"), arguments: [Int64(index)]).map { Array($0) }
        }
    }

    /// A `tlog-proof@v1` for entry `index` against the newest checkpoint: everything someone with
    /// the gateway's verifier key needs to check the entry offline.
    public func proof(index: UInt64) throws -> TlogProof {
        try read("cannot read the log of") { db in
            let size = try LogWriter.size(db)
            guard index < size else {
                throw GatewayError(.notFound, "\(path): the log has \(size) entries (0...\(max(1, size) - 1)); there is no entry \(index)")
            }
            guard let row = try Row.fetchOne(db.cachedStatement(
                sql: "SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1")) else {
                throw GatewayError(.notFound, "\(path): no checkpoint has been signed yet; set ledger.key_file (or pass --key) so the gateway signs them, or sign one now with `gateway log checkpoint --db \(path) --sign --key FILE`")
            }
            let covered = UInt64(row[0] as Int64)
            guard index < covered else {
                throw GatewayError(.notFound, "\(path): entry \(index) is newer than the latest checkpoint (\(covered) entries); wait for the next one or sign one with `gateway log checkpoint --db \(path) --sign --key FILE`")
            }
            guard let bytes = try Data.fetchOne(db.cachedStatement(sql: "SELECT bytes FROM log_entries WHERE idx = ?"), arguments: [Int64(index)]) else {
                throw GatewayError(.storage, "\(path): log entry \(index) is missing although the log has \(size); the database is damaged")
            }
            let tree = MerkleTree(store: SQLiteNodeStore(db: db), count: size)
            return TlogProof(entry: Array(bytes), index: index, inclusionProof: try tree.inclusionProof(index: index, size: covered),
                             signedCheckpoint: row[1] as String)
        }
    }

    /// Consistency proof between two sizes of the log (RFC 9162 §2.1.4).
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) throws -> [Hash] {
        try read("cannot read the log of") { db in
            try MerkleTree(store: SQLiteNodeStore(db: db), count: try LogWriter.size(db)).consistencyProof(from: oldSize, to: newSize)
        }
    }

    /// Signs a checkpoint over every entry now; returns its size, or nil when there was nothing
    /// new to cover.
    @discardableResult
    public func signCheckpoint(with signer: NoteSignerKey, now: Int64 = unixMicrosNow()) throws -> UInt64? {
        try ensureOpen("cannot sign a checkpoint in")
        do {
            return try pool.write { db in try LogWriter.signCheckpoint(signer: signer, now: now, db: db) }
        } catch {
            throw StoreFailure.wrap(error, "cannot sign a checkpoint in", path: path)
        }
    }
}
