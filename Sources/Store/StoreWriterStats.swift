/// Counters of a ``StoreWriter`` since it started.
public struct StoreWriterStats: Sendable, Equatable {
    /// Successful commits.
    public var commits: Int = 0
    public var rowsWritten: Int = 0
    public var rawFramesEvicted: Int = 0
    /// Failed commit attempts (their rows stayed pending and were retried).
    public var failures: Int = 0
    /// The newest commit error, cleared by the next successful commit.
    public var lastError: String?
    /// Submissions that had to wait because `maxPendingRows` were pending.
    public var backPressureWaits: Int = 0
    /// Rows waiting for the next commit.
    public var pendingRows: Int = 0

    public init() {}
}
