import Foundation
import Ledger
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// `CloudStorage` in PostgreSQL (postgres-nio's pooled `PostgresClient`), for production sites
/// where several stateless `cloud-sync` replicas share one database.
///
/// A batch is one PostgreSQL transaction: lock the origin's `gateways` row (`FOR UPDATE`, so
/// replicas take turns per origin and different origins proceed in parallel), load what the
/// verifier reads (``PrefetchPlan``), run `BatchVerifier` on that snapshot, then insert the
/// entries, nodes and checkpoint it produced with one array-bound statement each, and commit.
/// PostgreSQL's default `synchronous_commit = on` makes the commit durable before the answer.
public final class PostgresCloudStorage: CloudStorage {
    public let settings: PostgresSettings
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    private init(settings: PostgresSettings, client: PostgresClient, runner: Task<Void, Never>, logger: Logger) {
        self.settings = settings
        self.client = client
        self.runner = runner
        self.logger = logger
    }

    /// Connects, checks the database answers within `connectTimeout`, and applies migrations.
    /// Errors name the database (never the password) and what to check.
    public static func open(
        settings: PostgresSettings, logger: Logger, connectTimeout: Duration = .seconds(15)
    ) async throws -> PostgresCloudStorage {
        var password: String?
        if !settings.passwordFile.isEmpty {
            guard let data = FileManager.default.contents(atPath: settings.passwordFile),
                  let text = String(data: data, encoding: .utf8) else {
                throw CloudSyncError(.invalidConfig, "storage.postgres.password_file: cannot read \(settings.passwordFile); check the path and that the service may read it")
            }
            password = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        }
        let tls: PostgresClient.Configuration.TLS = switch settings.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: password,
            database: settings.database, tls: tls)
        configuration.options.maximumConnections = settings.maxConnections
        configuration.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        // The pool runs as long as the storage is open; `close()` ends it.
        let runner = Task { await client.run() }
        // Let the pool start before the first lease (postgres-nio warns about a lease before run()).
        await Task.yield()
        let storage = PostgresCloudStorage(settings: settings, client: client, runner: runner, logger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await PostgresCloudSchema.migrate(client, logger: logger) }
                group.addTask {
                    try await Task.sleep(for: connectTimeout)
                    throw CloudSyncError(.invalidConfig, "timed out after \(connectTimeout)")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            runner.cancel()
            if let error = error as? CloudSyncError, !error.message.hasPrefix("timed out") { throw error }
            throw CloudSyncError(.invalidConfig, "storage.postgres: cannot use postgres://\(settings.displayName): \(Self.describe(error)); check that PostgreSQL runs there, accepts TCP connections from this host (listen_addresses, pg_hba.conf), and that the user, database and password_file are right", cause: error)
        }
        return storage
    }

    public func enroll(_ gateways: [EnrolledGateway]) async throws -> EnrollmentChanges {
        try await storageCall("enroll gateways in") {
            try await self.client.withTransaction(logger: self.logger) { connection in
                // Replicas enrolling at the same start-up take turns.
                try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresCloudSchema.lockKey))", logger: self.logger)
                var existing: [String: String] = [:]
                for try await (origin, key) in try await connection.query("SELECT origin, verifier_key FROM gateways", logger: self.logger)
                    .decode((String, String).self) {
                    existing[origin] = key
                }
                let plan = EnrollmentPlan(existing: existing, gateways: gateways)
                for (origin, key) in plan.upserts {
                    try await connection.query("""
                        INSERT INTO gateways (origin, verifier_key) VALUES (\(origin), \(key))
                        ON CONFLICT (origin) DO UPDATE SET verifier_key = EXCLUDED.verifier_key
                        """, logger: self.logger)
                }
                for origin in plan.removals {
                    try await connection.query("DELETE FROM gateways WHERE origin = \(origin)", logger: self.logger)
                }
                return plan.changes
            }
        }
    }

    public func ingest(_ batch: SyncBatchSubmission, now: Int64) async throws -> BatchVerifier.Outcome {
        try await storageCall("store a batch in") {
            try await self.client.withTransaction(logger: self.logger) { connection in
                let snapshot = try await self.prefetch(batch, connection: connection)
                let outcome = try BatchVerifier.ingest(batch, in: snapshot, now: now)
                try await self.apply(snapshot.writes, origin: batch.origin, connection: connection)
                return outcome
            }
        }
    }

    public func state(origin: String) async throws -> GatewayLogState {
        try await storageCall("read from") {
            try await self.client.withConnection { connection in
                guard try await self.isEnrolled(origin, connection: connection) else { throw CloudSyncError.notEnrolled(origin) }
                return GatewayLogState(origin: origin, accepted: try await self.latestCheckpoint(origin, connection: connection))
            }
        }
    }

    public func entries(origin: String, from index: UInt64, limit: Int) async throws -> [StoredEntry] {
        guard limit > 0, index <= UInt64(Int64.max) else { return [] }
        return try await storageCall("read from") {
            try await self.client.withConnection { connection in
                guard try await self.isEnrolled(origin, connection: connection) else { throw CloudSyncError.notEnrolled(origin) }
                return try await self.entries(origin, range: index..<UInt64(Int64.max), limit: limit, connection: connection)
            }
        }
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }

    // MARK: - One batch

    private func prefetch(_ batch: SyncBatchSubmission, connection: PostgresConnection) async throws -> PrefetchedLedgerTransaction {
        let origin = batch.origin
        var key: NoteVerifierKey?
        for try await text in try await connection.query(
            "SELECT verifier_key FROM gateways WHERE origin = \(origin) FOR UPDATE", logger: logger).decode(String.self) {
            key = try Self.parseKey(text, origin: origin)
        }
        guard key != nil else {
            return PrefetchedLedgerTransaction(origin: origin, key: nil, accepted: nil, nodes: [:], heldEntries: [])
        }
        let accepted = try await latestCheckpoint(origin, connection: connection)
        let plan = PrefetchPlan(batch: batch, acceptedSize: accepted?.size ?? 0)
        let wanted = PrefetchPlan.perfectSubtrees(of: plan.treeSize)
        var nodes: [PrefetchedLedgerTransaction.NodeKey: Hash] = [:]
        if !wanted.isEmpty {
            let levels = wanted.map { Int32($0.level) }
            let indices = wanted.map { Int64(bitPattern: $0.index) }
            let rows = try await connection.query("""
                SELECT n.level, n.idx, n.hash FROM nodes n
                JOIN UNNEST(\(levels)::integer[], \(indices)::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx
                WHERE n.origin = \(origin)
                """, logger: logger)
            for try await (level, index, hash) in rows.decode((Int32, Int64, ByteBuffer).self) {
                nodes[.init(level: Int(level), index: UInt64(bitPattern: index))] =
                    try Hash(validating: Data(buffer: hash), what: "stored node (\(level), \(index)) of '\(origin)'")
            }
            guard nodes.count == wanted.count else {
                throw CloudSyncError(.storage, "the cloud's copy of '\(origin)' lacks \(wanted.count - nodes.count) of the \(wanted.count) tree nodes of size \(plan.treeSize); the database is damaged")
            }
        }
        var held: [StoredEntry] = []
        if let range = plan.heldRange {
            held = try await entries(origin, range: range, limit: Int(range.count), connection: connection)
        }
        return PrefetchedLedgerTransaction(origin: origin, key: key, accepted: accepted, nodes: nodes, heldEntries: held)
    }

    private func apply(_ writes: PrefetchedLedgerTransaction.Writes, origin: String, connection: PostgresConnection) async throws {
        if !writes.entries.isEmpty {
            let indices = (0..<writes.entries.count).map { Int64(bitPattern: writes.firstIndex) + Int64($0) }
            let bytes = writes.entries.map { ByteBuffer(data: $0) }
            try await connection.query("""
                INSERT INTO entries (origin, idx, bytes)
                SELECT \(origin), * FROM UNNEST(\(indices)::bigint[], \(bytes)::bytea[])
                """, logger: logger)
        }
        if !writes.nodes.isEmpty {
            let levels = writes.nodes.map { Int32($0.level) }
            let indices = writes.nodes.map { Int64(bitPattern: $0.index) }
            let hashes = writes.nodes.map { ByteBuffer(bytes: $0.hash.bytes) }
            try await connection.query("""
                INSERT INTO nodes (origin, level, idx, hash)
                SELECT \(origin), * FROM UNNEST(\(levels)::integer[], \(indices)::bigint[], \(hashes)::bytea[])
                """, logger: logger)
        }
        if let (checkpoint, acceptedAt) = writes.checkpoint {
            try await connection.query("""
                INSERT INTO checkpoints (origin, size, root, note, accepted_us)
                VALUES (\(origin), \(Int64(bitPattern: checkpoint.size)), \(ByteBuffer(bytes: checkpoint.rootHash.bytes)),
                        \(checkpoint.signedNote), \(acceptedAt))
                """, logger: logger)
        }
    }

    // MARK: - Reads

    private func isEnrolled(_ origin: String, connection: PostgresConnection) async throws -> Bool {
        for try await _ in try await connection.query("SELECT 1 FROM gateways WHERE origin = \(origin)", logger: logger).decode(Int32.self) {
            return true
        }
        return false
    }

    private func latestCheckpoint(_ origin: String, connection: PostgresConnection) async throws -> AcceptedCheckpoint? {
        let rows = try await connection.query(
            "SELECT size, root, note FROM checkpoints WHERE origin = \(origin) ORDER BY size DESC LIMIT 1", logger: logger)
        for try await (size, root, note) in rows.decode((Int64, ByteBuffer, String).self) {
            return AcceptedCheckpoint(
                size: UInt64(bitPattern: size),
                rootHash: try Hash(validating: Data(buffer: root), what: "stored checkpoint root of '\(origin)'"), signedNote: note)
        }
        return nil
    }

    private func entries(_ origin: String, range: Range<UInt64>, limit: Int, connection: PostgresConnection) async throws -> [StoredEntry] {
        let rows = try await connection.query("""
            SELECT idx, bytes FROM entries
            WHERE origin = \(origin) AND idx >= \(Int64(bitPattern: range.lowerBound)) AND idx < \(Int64(bitPattern: min(range.upperBound, UInt64(Int64.max))))
            ORDER BY idx LIMIT \(limit)
            """, logger: logger)
        var entries: [StoredEntry] = []
        for try await (index, bytes) in rows.decode((Int64, ByteBuffer).self) {
            entries.append(StoredEntry(index: UInt64(bitPattern: index), bytes: Data(buffer: bytes)))
        }
        return entries
    }

    private static func parseKey(_ text: String, origin: String) throws -> NoteVerifierKey {
        do {
            return try NoteVerifierKey(parsing: text)
        } catch {
            throw CloudSyncError(.storage, "the stored verifier key of '\(origin)' does not parse (\(error)); fix it in the config and restart, which re-enrolls it", cause: error)
        }
    }

    /// Passes `CloudSyncError`s (verification results) through and wraps database failures.
    private func storageCall<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            do {
                return try await body()
            } catch let error as PostgresTransactionError {
                // A verification failure inside the transaction (rolled back) is the answer itself.
                throw error.closureError ?? error.beginError ?? error.commitError ?? error
            }
        } catch let error as CloudSyncError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw CloudSyncError(.storage, "cannot \(what) postgres://\(settings.displayName): \(Self.describe(error))", cause: error)
        }
    }

    /// PSQLError's plain description hides the server's message; its reflection names it.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            return describe(error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? CancellationError())
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return "server says: \(message) (\(error.code))" }
            return "\(error.code)\(error.underlying.map { ": \($0)" } ?? "")"
        }
        return "\(error)"
    }
}
