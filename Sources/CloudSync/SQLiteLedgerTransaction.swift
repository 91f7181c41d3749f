import Foundation
import GRDB
import Ledger

/// `CloudLedgerTransaction` over one GRDB transaction. Every statement is a cached prepared
/// statement; an append costs one INSERT per entry and per new node (bound through
/// `OriginRowInserter`), nothing else per entry.
public struct SQLiteLedgerTransaction: CloudLedgerTransaction {
    let db: Database
    let writable: Bool

    init(db: Database, writable: Bool) {
        self.db = db
        self.writable = writable
    }

    public func verifierKey(origin: String) throws -> NoteVerifierKey? {
        let statement = try db.cachedStatement(sql: "SELECT verifier_key FROM gateways WHERE origin = ?")
        guard let text = try String.fetchOne(statement, arguments: [origin]) else { return nil }
        do {
            return try NoteVerifierKey(parsing: text)
        } catch {
            throw CloudSyncError(.storage, "the stored verifier key of '\(origin)' does not parse (\(error)); fix it in the config and restart, which re-enrolls it", cause: error)
        }
    }

    public func latestCheckpoint(origin: String) throws -> AcceptedCheckpoint? {
        let statement = try db.cachedStatement(
            sql: "SELECT size, root, note FROM checkpoints WHERE origin = ? ORDER BY size DESC LIMIT 1")
        guard let row = try Row.fetchOne(statement, arguments: [origin]) else { return nil }
        let size: Int64 = row[0]
        let root: Data = row[1]
        return AcceptedCheckpoint(
            size: UInt64(bitPattern: size), rootHash: try Hash(validating: root, what: "stored checkpoint root of '\(origin)'"),
            signedNote: row[2])
    }

    public func nodes(origin: String) throws -> SQLiteCloudNodeStore {
        try SQLiteCloudNodeStore(db: db, origin: origin, writable: writable)
    }

    public func entries(origin: String, from index: UInt64, limit: Int) throws -> [StoredEntry] {
        guard limit > 0, index <= UInt64(Int64.max) else { return [] }
        let statement = try db.cachedStatement(
            sql: "SELECT idx, bytes FROM entries WHERE origin = ? AND idx >= ? ORDER BY idx LIMIT ?")
        let rows = try Row.fetchCursor(statement, arguments: [origin, Int64(index), limit])
        var entries: [StoredEntry] = []
        while let row = try rows.next() {
            let idx: Int64 = row[0]
            entries.append(StoredEntry(index: UInt64(bitPattern: idx), bytes: row[1]))
        }
        return entries
    }

    public func insertEntries(_ entries: [Data], origin: String, firstIndex: UInt64) throws {
        let insert = try OriginRowInserter(
            db: db, sql: "INSERT INTO entries (origin, idx, bytes) VALUES (?, ?, ?)", origin: origin, integers: 1)
        var index = Int64(bitPattern: firstIndex)
        for bytes in entries {
            try bytes.withUnsafeBytes { try insert.insert(index, blob: $0) }
            index += 1
        }
    }

    public func insertCheckpoint(_ checkpoint: AcceptedCheckpoint, origin: String, acceptedAt: Int64) throws {
        try db.cachedStatement(
            sql: "INSERT INTO checkpoints (origin, size, root, note, accepted_us) VALUES (?, ?, ?, ?, ?)"
        ).execute(arguments: [
            origin, Int64(bitPattern: checkpoint.size), Data(checkpoint.rootHash.bytes), checkpoint.signedNote, acceptedAt,
        ])
    }
}
