import Logging
import PostgresNIO

/// The PostgreSQL tables of the cloud mirror, created by named migrations recorded in
/// `cloud_sync_migrations`. Replicas starting together take an advisory lock first, so each
/// migration runs once. Never edit a registered migration: add a new one.
///
/// Unlike the SQLite layout, `nodes` keeps every level: a batch reads at most 64 of them (the
/// perfect subtrees of one size) in one query, and keeping levels 0-3 costs rows, not round trips.
enum PostgresCloudSchema {
    /// An arbitrary constant naming the lock migrations hold ("cloudsyn" in ASCII).
    static let lockKey: Int64 = 0x636C_6F75_6473_796E

    static let migrations: [(name: String, sql: [PostgresQuery])] = [
        ("v1.mirror", [
            """
            CREATE TABLE gateways (
                origin TEXT PRIMARY KEY,
                verifier_key TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE entries (
                origin TEXT NOT NULL,
                idx BIGINT NOT NULL,
                bytes BYTEA NOT NULL,
                PRIMARY KEY (origin, idx)
            )
            """,
            """
            CREATE TABLE nodes (
                origin TEXT NOT NULL,
                level INTEGER NOT NULL,
                idx BIGINT NOT NULL,
                hash BYTEA NOT NULL,
                PRIMARY KEY (origin, level, idx)
            )
            """,
            """
            CREATE TABLE checkpoints (
                origin TEXT NOT NULL,
                size BIGINT NOT NULL,
                root BYTEA NOT NULL,
                note TEXT NOT NULL,
                accepted_us BIGINT NOT NULL,
                PRIMARY KEY (origin, size)
            )
            """,
        ]),
    ]

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS cloud_sync_migrations (
                    name TEXT PRIMARY KEY,
                    applied_us BIGINT NOT NULL
                )
                """, logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM cloud_sync_migrations", logger: logger)
                .decode(String.self) {
                applied.insert(name)
            }
            let known = Set(migrations.map(\.name))
            if let unknown = applied.subtracting(known).sorted().first {
                throw CloudSyncError(.invalidConfig, "the database was migrated by a newer cloud-sync (migration \(unknown) is unknown here); upgrade cloud-sync or point storage.postgres at another database")
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.sql { try await connection.query(statement, logger: logger) }
                try await connection.query(
                    "INSERT INTO cloud_sync_migrations (name, applied_us) VALUES (\(migration.name), \(unixMicrosNow()))",
                    logger: logger)
                logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
            }
        }
    }
}
