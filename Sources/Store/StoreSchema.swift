import GRDB

/// The store's schema: named migrations applied in order. They use raw SQL only, never app
/// types, so an old migration keeps meaning the same thing however the code evolves.
///
/// Never edit a registered migration: add a new one ("v2.something") instead.
enum StoreSchema {
    static let migrationNames = ["v1.devices", "v1.events", "v1.features", "v1.raw_frames", "v2.calibrations", "v3.log", "v4.telemetry", "v5.sync_acks", "v6.features_coherence"]

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1.devices") { db in
            try db.execute(sql: """
                CREATE TABLE devices (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    first_seen_us INTEGER NOT NULL,
                    last_seen_us INTEGER NOT NULL,
                    frames INTEGER NOT NULL DEFAULT 0
                );
                """)
        }
        // REAL columns are nullable: SQLite stores NaN as NULL, and one NaN must not fail a batch.
        migrator.registerMigration("v1.events") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    id TEXT PRIMARY KEY NOT NULL,
                    device TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    confidence REAL,
                    start_us INTEGER NOT NULL,
                    end_us INTEGER,
                    model_version TEXT NOT NULL,
                    features TEXT NOT NULL DEFAULT '[]'
                );
                CREATE INDEX events_start ON events(start_us);
                CREATE INDEX events_device_start ON events(device, start_us);
                CREATE INDEX events_kind_start ON events(kind, start_us);
                """)
        }
        migrator.registerMigration("v1.features") { db in
            try db.execute(sql: """
                CREATE TABLE features (
                    id INTEGER PRIMARY KEY,
                    device TEXT NOT NULL,
                    start_us INTEGER NOT NULL,
                    end_us INTEGER NOT NULL,
                    frames INTEGER NOT NULL,
                    lost_frames INTEGER NOT NULL,
                    mean_rssi REAL,
                    mean_amplitude REAL,
                    motion_score REAL,
                    presence_score REAL
                );
                CREATE INDEX features_device_start ON features(device, start_us);
                """)
        }
        // The ring's running totals live in a one-row table kept by triggers, so a commit learns
        // the total without summing the table.
        migrator.registerMigration("v1.raw_frames") { db in
            try db.execute(sql: """
                CREATE TABLE raw_frames (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    time_us INTEGER NOT NULL,
                    bytes BLOB
                );
                CREATE TABLE raw_frames_usage (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    rows INTEGER NOT NULL,
                    bytes INTEGER NOT NULL
                );
                INSERT INTO raw_frames_usage (id, rows, bytes) VALUES (1, 0, 0);
                CREATE TRIGGER raw_frames_usage_insert AFTER INSERT ON raw_frames BEGIN
                    UPDATE raw_frames_usage
                    SET rows = rows + 1, bytes = bytes + COALESCE(length(NEW.bytes), 0) WHERE id = 1;
                END;
                CREATE TRIGGER raw_frames_usage_delete AFTER DELETE ON raw_frames BEGIN
                    UPDATE raw_frames_usage
                    SET rows = rows - 1, bytes = bytes - COALESCE(length(OLD.bytes), 0) WHERE id = 1;
                END;
                """)
        }
        // One row per calibration a device got (from a capture, learnt live, adapted to drift).
        // The figures are columns so they can be listed without decoding; `body` holds the whole
        // calibration as JSON with its own format number, which only the Inference module reads.
        migrator.registerMigration("v2.calibrations") { db in
            try db.execute(sql: """
                CREATE TABLE calibrations (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device TEXT NOT NULL,
                    created_us INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    seconds REAL,
                    windows INTEGER NOT NULL,
                    motion_threshold REAL,
                    presence_threshold REAL,
                    gain_step_fraction REAL,
                    warnings TEXT NOT NULL DEFAULT '[]',
                    body TEXT NOT NULL
                );
                CREATE INDEX calibrations_device_created ON calibrations(device, created_us);
                """)
        }
        // The append-only Merkle log (RFC 9162) of what the gateway syncs: one row per entry (the
        // deterministic `LogEntry` bytes the leaf hash covers), the tree's perfect-subtree nodes
        // (never rewritten) and the signed checkpoints.
        migrator.registerMigration("v3.log") { db in
            try db.execute(sql: """
                CREATE TABLE log_entries (
                    idx INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    source_sequence INTEGER NOT NULL,
                    receive_us INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    record_id TEXT NOT NULL,
                    bytes BLOB NOT NULL
                );
                CREATE UNIQUE INDEX log_entries_source_sequence ON log_entries(source, source_sequence);
                CREATE TABLE log_nodes (
                    level INTEGER NOT NULL,
                    idx INTEGER NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (level, idx)
                ) WITHOUT ROWID;
                CREATE TABLE log_checkpoints (
                    size INTEGER PRIMARY KEY,
                    root BLOB NOT NULL,
                    note TEXT NOT NULL,
                    signed_us INTEGER NOT NULL
                );
                """)
        }
        // Machine readings (Modbus points, SHDR items, serial instruments). `value` keeps SQLite's
        // own type (REAL, INTEGER, TEXT; booleans as 0/1) and `value_type` says which one it is.
        migrator.registerMigration("v4.telemetry") { db in
            try db.execute(sql: """
                CREATE TABLE telemetry (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    point TEXT NOT NULL,
                    time_us INTEGER NOT NULL,
                    value_type TEXT NOT NULL,
                    value,
                    unit TEXT NOT NULL DEFAULT '',
                    quality TEXT NOT NULL
                );
                CREATE INDEX telemetry_source_point_time ON telemetry(source, point, time_us);
                CREATE INDEX telemetry_time ON telemetry(time_us);
                """)
        }
        // How far each pulling destination acknowledged the log (pull sync: the cloud's
        // `POST /v1/sync/ack`). Push needs no row: the cloud's checkpoint is its position.
        migrator.registerMigration("v5.sync_acks") { db in
            try db.execute(sql: """
                CREATE TABLE sync_acks (
                    destination TEXT PRIMARY KEY,
                    size INTEGER NOT NULL,
                    acked_us INTEGER NOT NULL
                );
                """)
        }
        // Each window's coherence (`WindowFeatures.coherence`); rows written before it read as NULL.
        migrator.registerMigration("v6.features_coherence") { db in
            try db.execute(sql: "ALTER TABLE features ADD COLUMN coherence REAL;")
        }
        return migrator
    }()
}
