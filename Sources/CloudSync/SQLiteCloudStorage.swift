import Foundation
import GRDB
import Logging

/// `CloudStorage` in one SQLite file through a GRDB `DatabasePool` (WAL: one writer, concurrent
/// readers), the embedded default.
///
/// `synchronous = FULL`: a batch is acknowledged only after its commit is on disk, because the
/// gateway may stop keeping what the cloud acknowledged. That is one fsync per batch, not per entry.
public final class SQLiteCloudStorage: CloudStorage {
    public typealias Transaction = SQLiteLedgerTransaction

    public let path: String
    private let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and applies pending migrations. The
    /// directory must exist. `configKey` names the setting in errors (e.g. "storage.sqlite").
    public init(path: String, configKey: String = "storage.sqlite") throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CloudSyncError(.invalidConfig, "\(configKey): cannot open \(path): directory \(directory) does not exist; create it (mkdir -p \(directory)) or choose another path")
        }
        var config = Configuration()
        config.label = "cloud-sync"
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // 64 MiB of page cache: a 50,000-entry batch touches a few thousand pages per table.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw CloudSyncError(.invalidConfig, "\(configKey): cannot open SQLite database \(path) (\(error)); check that the file is a database and that the service may read and write it and its directory", cause: error)
        }
        do {
            if try pool.read({ try SQLiteCloudSchema.migrator.hasBeenSuperseded($0) }) {
                throw CloudSyncError(.invalidConfig, "\(configKey): \(path) was written by a newer cloud-sync (unknown migrations); upgrade cloud-sync or choose another file")
            }
            try SQLiteCloudSchema.migrator.migrate(pool)
        } catch let error as CloudSyncError {
            try? pool.close()
            throw error
        } catch {
            try? pool.close()
            throw CloudSyncError(.invalidConfig, "\(configKey): cannot prepare the tables of \(path) (\(error)); check that the file is writable and not another program's database", cause: error)
        }
    }

    public func enroll(_ gateways: [EnrolledGateway]) async throws -> EnrollmentChanges {
        try await storageCall("enroll gateways in") {
            try await self.pool.write { db in
                var existing: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT origin, verifier_key FROM gateways") {
                    existing[row[0]] = row[1]
                }
                let plan = EnrollmentPlan(existing: existing, gateways: gateways)
                for (origin, key) in plan.upserts {
                    try db.execute(
                        sql: """
                            INSERT INTO gateways (origin, verifier_key) VALUES (?, ?)
                            ON CONFLICT (origin) DO UPDATE SET verifier_key = excluded.verifier_key
                            """,
                        arguments: [origin, key])
                }
                for origin in plan.removals {
                    try db.execute(sql: "DELETE FROM gateways WHERE origin = ?", arguments: [origin])
                }
                return plan.changes
            }
        }
    }

    public func ingest(_ batch: SyncBatchSubmission, now: Int64) async throws -> BatchVerifier.Outcome {
        try await write { tx in try BatchVerifier.ingest(batch, in: tx, now: now) }
    }

    public func state(origin: String) async throws -> GatewayLogState {
        try await read { tx in
            guard try tx.verifierKey(origin: origin) != nil else { throw CloudSyncError.notEnrolled(origin) }
            return GatewayLogState(origin: origin, accepted: try tx.latestCheckpoint(origin: origin))
        }
    }

    public func entries(origin: String, from index: UInt64, limit: Int) async throws -> [StoredEntry] {
        try await read { tx in
            guard try tx.verifierKey(origin: origin) != nil else { throw CloudSyncError.notEnrolled(origin) }
            return try tx.entries(origin: origin, from: index, limit: limit)
        }
    }

    /// Runs `body` in one write transaction: committed if it returns, rolled back if it throws.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        try await storageCall("write to") {
            try await self.pool.write { db in try body(SQLiteLedgerTransaction(db: db, writable: true)) }
        }
    }

    /// Runs `body` on a consistent snapshot, concurrently with writes.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        try await storageCall("read from") {
            try await self.pool.read { db in try body(SQLiteLedgerTransaction(db: db, writable: false)) }
        }
    }

    public func close() async throws {
        try await storageCall("close") {
            try await self.pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            try self.pool.close()
        }
    }

    /// Passes `CloudSyncError`s (verification results) through and wraps database failures, which
    /// keep their SQLite result code in `cause`.
    private func storageCall<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as CloudSyncError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw CloudSyncError(.storage, "cannot \(what) \(path): \(error)", cause: error)
        }
    }
}
