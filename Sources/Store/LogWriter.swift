import Foundation
import GRDB
import GatewayCore
import Ledger

/// Appends records to the Merkle log inside the caller's transaction, and signs a checkpoint
/// when the policy in `LogOptions` says one is due.
///
/// Every event write and every telemetry sample is one entry: an interval event is logged when it opens and again when it
/// closes (same id, the later entry is the final state), exactly as the `events` table saw it.
/// Each source (device or machine) numbers its entries 0, 1, 2, ... (`source_sequence`).
enum LogWriter {
    struct Appended {
        var entries = 0
        var checkpointSize: UInt64?
    }

    static func size(_ db: Database) throws -> UInt64 {
        let next = try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries")) ?? 0
        return UInt64(max(0, next))
    }

    static func append(
        events: [SensingEvent], telemetry: [TelemetrySample] = [], energySignatures: [EnergySignature] = [],
        options: LogOptions, now: Int64, db: Database
    ) throws -> Appended {
        var appended = Appended()
        if !events.isEmpty || !telemetry.isEmpty || !energySignatures.isEmpty {
            var tree = MerkleTree(store: SQLiteNodeStore(db: db), count: try size(db))
            let nextSequence = try db.cachedStatement(
                sql: "SELECT COALESCE(MAX(source_sequence) + 1, 0) FROM log_entries WHERE source = ?")
            let insert = try db.cachedStatement(sql: """
                INSERT INTO log_entries (idx, source, source_sequence, receive_us, kind, record_id, bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            var sequences: [String: Int64] = [:]
            func nextSequenceNumber(_ source: String) throws -> Int64 {
                let sequence = try sequences[source] ?? Int64.fetchOne(nextSequence, arguments: [source]) ?? 0
                sequences[source] = sequence + 1
                return sequence
            }
            for event in events {
                let sequence = try nextSequenceNumber(event.device.rawValue)
                let bytes = try LogEntryEncoding.event(event, sequence: UInt64(sequence), receivedAt: now)
                let index = try tree.append(entry: bytes)
                try insert.execute(arguments: [
                    Int64(index), event.device.rawValue, sequence, now, "event", event.id, Data(bytes),
                ])
            }
            for sample in telemetry {
                let sequence = try nextSequenceNumber(sample.source)
                let bytes = try LogEntryEncoding.telemetry(sample, sequence: UInt64(sequence), receivedAt: now)
                let index = try tree.append(entry: bytes)
                try insert.execute(arguments: [
                    Int64(index), sample.source, sequence, now, "telemetry",
                    "\(sample.source)/\(sample.point)/\(sample.time)", Data(bytes),
                ])
            }
            for signature in energySignatures {
                let sequence = try nextSequenceNumber(signature.device.rawValue)
                let bytes = try LogEntryEncoding.energySignature(signature, sequence: UInt64(sequence), receivedAt: now)
                let index = try tree.append(entry: bytes)
                try insert.execute(arguments: [
                    Int64(index), signature.device.rawValue, sequence, now, "energy_signature",
                    "\(signature.device.rawValue)/energy_signature/\(signature.start)", Data(bytes),
                ])
            }
            appended.entries = events.count + telemetry.count + energySignatures.count
        }
        // Only a write that added entries can make a checkpoint due here; older uncovered entries
        // are the daemon's checkpoint timer's job, so feature-only commits cost no extra queries.
        if appended.entries > 0, let signer = options.signer, try checkpointDue(options: options, now: now, db: db) {
            appended.checkpointSize = try signCheckpoint(signer: signer, now: now, db: db)
        }
        return appended
    }

    /// Whether uncovered entries are many or old enough for a checkpoint.
    static func checkpointDue(options: LogOptions, now: Int64, db: Database) throws -> Bool {
        let covered = try latestCheckpointSize(db) ?? 0
        let size = try size(db)
        guard size > covered else { return false }
        if size - covered >= UInt64(max(1, options.checkpointEveryEntries)) { return true }
        let oldest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT receive_us FROM log_entries WHERE idx = ?"),
                                        arguments: [Int64(covered)]) ?? now
        return Double(now - oldest) / 1_000_000 >= options.checkpointEverySeconds
    }

    static func latestCheckpointSize(_ db: Database) throws -> UInt64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(size) FROM log_checkpoints")).map { UInt64($0) }
    }

    /// Signs a checkpoint of the whole log as it is in this transaction; returns its size, or
    /// nil when the log is empty or its latest checkpoint already covers every entry.
    @discardableResult
    static func signCheckpoint(signer: NoteSignerKey, now: Int64, db: Database) throws -> UInt64? {
        let size = try size(db)
        guard size > 0, size > (try latestCheckpointSize(db) ?? 0) else { return nil }
        let tree = MerkleTree(store: SQLiteNodeStore(db: db), count: size)
        let root = try tree.rootHash()
        let note = try Checkpoint(origin: signer.name, size: size, rootHash: root).signedNote(with: [signer])
        try db.cachedStatement(sql: "INSERT INTO log_checkpoints (size, root, note, signed_us) VALUES (?, ?, ?, ?)")
            .execute(arguments: [Int64(size), Data(root.bytes), note, now])
        return size
    }
}
