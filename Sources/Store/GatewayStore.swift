import Foundation
import GRDB
import GatewayCore
import Logging
import Synchronization

/// The gateway's SQLite database: devices, events, window features and optional raw frames.
///
/// One `DatabasePool` in WAL mode: one writer, concurrent readers. Writes take a whole
/// ``StoreBatch`` in one transaction, so a commit (and its fsync) covers many rows.
public final class GatewayStore: Sendable {
    public let path: String
    public let options: StoreOptions
    let pool: DatabasePool
    let logger: Logger
    private let closed = Mutex(false)

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    ///
    /// The directory must exist: the store does not create it.
    public init(path: String, options: StoreOptions = .init(), logger: Logger = Logger(label: "store")) throws {
        self.path = path
        self.options = options
        self.logger = logger

        guard options.rawFramesMaxBytes >= 0 else {
            throw GatewayError(.invalidConfig,
                "raw frames cap \(options.rawFramesMaxBytes) for \(path) is negative: use 0 to turn raw frames off or a byte count to keep them.")
        }
        guard options.busyTimeoutSeconds >= 0, options.busyTimeoutSeconds.isFinite else {
            throw GatewayError(.invalidConfig,
                "busy timeout \(options.busyTimeoutSeconds) s for \(path) is invalid: use a number of seconds >= 0.")
        }
        guard options.calibrationsKeptPerDevice >= 0 else {
            throw GatewayError(.invalidConfig,
                "calibrations kept per device \(options.calibrationsKeptPerDevice) for \(path) is negative: use 0 to keep every calibration or a count to keep the newest ones.")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GatewayError(.storage,
                "cannot open database \(path): directory \(directory) does not exist. Create it (mkdir -p \(directory)) or choose another path.")
        }

        var config = Configuration()
        config.label = "store"
        config.busyMode = .timeout(options.busyTimeoutSeconds)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            // WAL + NORMAL: a power cut may lose the last commits but never corrupts the file.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreFailure.wrap(error, "cannot open database", path: path)
        }
        do {
            if try pool.read({ try StoreSchema.migrator.hasBeenSuperseded($0) }) {
                throw GatewayError(.storage,
                    "cannot open database \(path): it was written by a newer gateway version (unknown migrations). Upgrade the gateway, or move the file away to start a new one.")
            }
            try StoreSchema.migrator.migrate(pool)
        } catch {
            try? pool.close()
            throw StoreFailure.wrap(error, "cannot migrate database", path: path)
        }
        logger.debug("store opened", metadata: ["store.path": "\(path)"])
    }

    /// Names of the applied migrations, in order.
    public func appliedMigrations() throws -> [String] {
        try read("cannot read migrations of") { try StoreSchema.migrator.appliedMigrations($0) }
    }

    /// Checkpoints the WAL into the database file (truncating it) and closes every connection.
    /// Calling it again does nothing; any other use after close throws.
    public func close() throws {
        let wasClosed = closed.withLock { value in
            defer { value = true }
            return value
        }
        if wasClosed { return }
        do {
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        } catch {
            logger.info("WAL checkpoint before close failed; the WAL is kept and replayed on next open",
                metadata: ["store.path": "\(path)", "error": "\(error)"])
        }
        do {
            try pool.close()
        } catch {
            throw StoreFailure.wrap(error, "cannot close database", path: path)
        }
    }

    var isClosed: Bool { closed.withLock { $0 } }

    func ensureOpen(_ action: String) throws {
        if isClosed {
            throw GatewayError(.storage, "\(action) \(path): the store is closed. Open a new GatewayStore.")
        }
    }

    /// Runs a read and wraps its errors.
    func read<T>(_ action: String, _ body: (Database) throws -> T) throws -> T {
        try ensureOpen(action)
        do {
            return try pool.read(body)
        } catch {
            throw StoreFailure.wrap(error, action, path: path)
        }
    }
}
