import GatewayCore
import Logging

/// Gathers small submissions into large transactions.
///
/// Rows are committed when `maxRows` are pending, every `maxDelay` while ``run()`` runs, and on
/// ``flush()``. Nothing is dropped: a failed commit keeps its rows pending for the next attempt,
/// and once `maxPendingRows` are pending, ``submit(_:)`` waits until a commit makes room.
/// Commits run one at a time, in submission order, so an event's later update never lands
/// before its first version.
public actor StoreWriter {
    /// Commits one batch; `blocking` asks for the synchronous path (used once the task is cancelled).
    typealias Commit = @Sendable (_ batch: StoreBatch, _ blocking: Bool) async throws -> WriteResult

    /// The database file, for log lines.
    public let path: String
    public let maxRows: Int
    public let maxDelay: Duration
    public let maxPendingRows: Int
    private let logger: Logger
    private let commit: Commit

    private var pending = StoreBatch()
    private var counters = StoreWriterStats()
    private var committing = false
    private var commitWaiters: [CheckedContinuation<Void, Never>] = []
    private var failingSince: Int?
    private var evicting = false

    public init(
        store: GatewayStore, maxRows: Int = 2000, maxDelay: Duration = .milliseconds(200),
        maxPendingRows: Int = 50_000, logger: Logger = Logger(label: "store.writer")
    ) {
        self.init(
            path: store.path, maxRows: maxRows, maxDelay: maxDelay, maxPendingRows: maxPendingRows,
            logger: logger
        ) { batch, blocking in
            if blocking { return try store.writeBlocking(batch) }
            return try await store.write(batch)
        }
    }

    /// Commits through `commit` instead of a store (tests inject failures and delays here).
    init(
        path: String, maxRows: Int = 2000, maxDelay: Duration = .milliseconds(200),
        maxPendingRows: Int = 50_000, logger: Logger = Logger(label: "store.writer"),
        commit: @escaping Commit
    ) {
        self.path = path
        self.commit = commit
        self.maxRows = max(1, maxRows)
        self.maxDelay = maxDelay
        self.maxPendingRows = max(self.maxRows, maxPendingRows)
        self.logger = logger
    }

    public var stats: StoreWriterStats {
        var stats = counters
        stats.pendingRows = pending.rowCount
        return stats
    }

    /// Adds rows to the pending batch; commits when `maxRows` are pending.
    ///
    /// When `maxPendingRows` are already pending (the database is slow or failing), waits until
    /// a commit makes room. Commit errors are not thrown here (the rows stay pending and are
    /// counted in ``stats``); it throws `CancellationError` only if the task is cancelled while
    /// waiting for room, in which case `batch` was not accepted.
    public func submit(_ batch: StoreBatch) async throws {
        if batch.isEmpty { return }
        var waited = false
        while pending.rowCount >= maxPendingRows {
            if !waited {
                waited = true
                counters.backPressureWaits += 1
            }
            do {
                try await commitPending()
            } catch {
                try await Task.sleep(for: maxDelay)
            }
        }
        pending.append(contentsOf: batch)
        if pending.rowCount >= maxRows {
            try? await commitPending()
        }
    }

    /// Commits everything pending now; throws the commit error (the rows stay pending).
    public func flush() async throws {
        try await commitPending()
    }

    /// Commits what is pending every `maxDelay` until the task is cancelled, then flushes.
    ///
    /// Errors of periodic commits are counted and retried on the next tick. The final flush
    /// throws if it fails, leaving the rows in ``stats``'s `pendingRows`.
    public func run() async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: maxDelay)
            if Task.isCancelled { break }
            try? await commitPending()
        }
        try await commitPending()
    }

    // MARK: - Commit

    private func commitPending() async throws {
        await acquireCommit()
        defer { releaseCommit() }
        if pending.isEmpty { return }
        let batch = pending
        pending = StoreBatch()
        do {
            let result = try await write(batch)
            counters.commits += 1
            counters.rowsWritten += result.rowsWritten
            counters.rawFramesEvicted += result.rawFramesEvicted
            counters.lastError = nil
            noteSuccess(result)
        } catch {
            // Put the rows back in front of anything submitted meanwhile.
            var restored = batch
            restored.append(contentsOf: pending)
            pending = restored
            counters.failures += 1
            counters.lastError = "\(error)"
            noteFailure(error)
            throw error
        }
    }

    /// Writes without blocking the cooperative pool; once the task is cancelled (shutdown), GRDB's
    /// async write would refuse, so the final commits block this thread instead.
    private func write(_ batch: StoreBatch) async throws -> WriteResult {
        if !Task.isCancelled {
            do {
                return try await commit(batch, false)
            } catch is CancellationError {
                // Cancelled before the commit: nothing was written. Fall through.
            }
        }
        return try await commit(batch, true)
    }

    private func acquireCommit() async {
        while committing {
            await withCheckedContinuation { commitWaiters.append($0) }
        }
        committing = true
    }

    private func releaseCommit() {
        committing = false
        if !commitWaiters.isEmpty {
            commitWaiters.removeFirst().resume()
        }
    }

    // MARK: - Logging, once per burst

    private func noteFailure(_ error: any Error) {
        if failingSince == nil {
            failingSince = counters.failures
            logger.info("store commit failed; rows stay pending and are retried", metadata: [
                "store.path": "\(path)", "store.pending_rows": "\(pending.rowCount)", "error": "\(error)",
            ])
        }
    }

    private func noteSuccess(_ result: WriteResult) {
        if let since = failingSince {
            failingSince = nil
            logger.info("store commits recovered", metadata: [
                "store.path": "\(path)", "store.failed_attempts": "\(counters.failures - since + 1)",
            ])
        }
        if result.rawFramesEvicted > 0, !evicting {
            evicting = true
            logger.info("raw frame ring is full: the oldest frames are now deleted to make room", metadata: [
                "store.path": "\(path)",
            ])
        }
    }
}
