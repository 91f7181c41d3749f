import GRDB

/// The cloud database's migrations. Never edit a registered migration: add a new one.
///
/// Tables are keyed by origin first, so one gateway's rows are contiguous and an append touches
/// only the right edge of each B-tree. `entries` and `nodes` are WITHOUT ROWID: the primary key is
/// the only access path, and a separate rowid would cost a second B-tree write per row.
enum SQLiteCloudSchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1.mirror") { db in
            try db.execute(sql: """
                CREATE TABLE gateways (
                    origin TEXT PRIMARY KEY NOT NULL,
                    verifier_key TEXT NOT NULL
                );
                CREATE TABLE entries (
                    origin TEXT NOT NULL,
                    idx INTEGER NOT NULL,
                    bytes BLOB NOT NULL,
                    PRIMARY KEY (origin, idx)
                ) WITHOUT ROWID;
                CREATE TABLE nodes (
                    origin TEXT NOT NULL,
                    level INTEGER NOT NULL,
                    idx INTEGER NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (origin, level, idx)
                ) WITHOUT ROWID;
                CREATE TABLE checkpoints (
                    origin TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    root BLOB NOT NULL,
                    note TEXT NOT NULL,
                    accepted_us INTEGER NOT NULL,
                    PRIMARY KEY (origin, size)
                );
                """)
        }
        return migrator
    }()
}
