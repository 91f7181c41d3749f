import CloudSync
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// `--postgres host:port/database` (trust authentication, user cloud_sync): verified ingest into
/// `PostgresCloudStorage` against the floor for the same database, a plain array-bound insert of
/// the same entries (one transaction per batch, no decoding, hashing or checks). The database
/// must be empty: each run is one round, since the mirror would answer a second run's batches as
/// retries.
enum PostgresRun {
    static func run(_ target: String, corpus: SyncCorpus, limits: CloudSyncConfig.Limits, total: Double) async throws {
        var settings = PostgresSettings()
        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        let hostPort = parts[0].split(separator: ":").map(String.init)
        settings.host = hostPort[0]
        settings.port = hostPort.count > 1 ? Int(hostPort[1]) ?? 5432 : 5432
        settings.database = parts.count > 1 ? parts[1] : "cloud_sync"
        settings.tls = .disable
        var logger = Logger(label: "bench")
        logger.logLevel = .warning

        let plain = try await plainInsert(settings, corpus: corpus, logger: logger)
        let storage = try await PostgresCloudStorage.open(settings: settings, logger: logger)
        _ = try await storage.enroll([EnrolledGateway(origin: corpus.origin, verifierKey: corpus.key.verifierKey)])
        let mirror = LogMirror(storage: storage, limits: limits, logger: logger)
        let start = ContinuousClock.now
        for body in corpus.bodies {
            _ = try await mirror.push(origin: corpus.origin, body: body)
        }
        let verified = total / (ContinuousClock.now - start).seconds
        try await storage.close()
        print(String(format: "PostgreSQL (%@): plain insert %.0f entries/s | verified ingest %.0f entries/s | ratio %.2f",
                     settings.displayName, plain, verified, verified / plain))
    }

    private static func plainInsert(_ settings: PostgresSettings, corpus: SyncCorpus, logger: Logger) async throws -> Double {
        let client = PostgresClient(
            configuration: .init(host: settings.host, port: settings.port, username: settings.user, password: nil,
                                 database: settings.database, tls: .disable),
            backgroundLogger: logger)
        let runner = Task { await client.run() }
        // Let the pool start before the first lease (postgres-nio warns about a lease before run()).
        await Task.yield()
        defer { runner.cancel() }
        try await client.query("""
            CREATE TABLE bench_entries (origin TEXT NOT NULL, idx BIGINT NOT NULL, bytes BYTEA NOT NULL, PRIMARY KEY (origin, idx))
            """, logger: logger)
        let start = ContinuousClock.now
        var index: Int64 = 0
        for entries in corpus.batches {
            let indices = (0..<Int64(entries.count)).map { index + $0 }
            let bytes = entries.map { ByteBuffer(data: $0) }
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("""
                    INSERT INTO bench_entries (origin, idx, bytes) SELECT \(corpus.origin), * FROM UNNEST(\(indices)::bigint[], \(bytes)::bytea[])
                    """, logger: logger)
            }
            index += Int64(entries.count)
        }
        return Double(index) / (ContinuousClock.now - start).seconds
    }
}
