/// What an SHDR adapter told the driver about itself, beyond health: its `* key: value`
/// commands, its heartbeat, and the keys it sends that the config does not map.
public struct ShdrAdapterInfo: Sendable, Equatable {
    /// `* shdrVersion: 2`, `* uuid: ...`, `* adapterVersion: ...`: the latest value per key.
    public var commands: [String: String] = [:]
    /// The interval from the adapter's last `* PONG <ms>`; nil when it never answered a PING.
    public var heartbeatMillis: Int?
    /// TCP connections established (1 + reconnects).
    public var connections = 0
    public var lines: UInt64 = 0
    public var malformedLines: UInt64 = 0
    /// Observations of keys with no mapping, by key.
    public var unmapped: [String: UInt64] = [:]

    public init() {}
}
