/// Which telemetry samples to read; results are ordered by time, then insertion.
public struct TelemetryQuery: Sendable {
    /// Only samples at or after this time (Unix microseconds).
    public var since: Int64?
    /// Only samples before this time (Unix microseconds).
    public var until: Int64?
    public var source: String?
    public var point: String?
    /// At most this many samples: the earliest ones, or the latest ones when `newestFirst`.
    public var limit: Int
    public var newestFirst: Bool

    public init(
        since: Int64? = nil, until: Int64? = nil, source: String? = nil, point: String? = nil,
        limit: Int = 10_000, newestFirst: Bool = false
    ) {
        self.since = since
        self.until = until
        self.source = source
        self.point = point
        self.limit = limit
        self.newestFirst = newestFirst
    }
}
