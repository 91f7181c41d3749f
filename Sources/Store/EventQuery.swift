import GatewayCore

/// Which events to read; results are ordered by start, then id.
public struct EventQuery: Sendable {
    /// Only events that started at or after this time (Unix microseconds).
    public var since: Int64?
    public var kind: EventKind?
    public var device: DeviceID?
    /// At most this many events (the earliest ones).
    public var limit: Int

    public init(since: Int64? = nil, kind: EventKind? = nil, device: DeviceID? = nil, limit: Int = 10_000) {
        self.since = since
        self.kind = kind
        self.device = device
        self.limit = limit
    }
}
