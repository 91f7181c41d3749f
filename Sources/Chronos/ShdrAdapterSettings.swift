import GatewayCore

/// One MTConnect SHDR adapter to read (the `shdr:` list of the gateway config).
public struct ShdrAdapterSettings: Sendable, Equatable {
    public static let defaultPort = 7878

    /// The machine's name: the `source` of its telemetry.
    public var name: String
    public var host: String
    public var port: Int
    /// How long the connection may stay silent before it is declared dead, for adapters that do
    /// not answer `* PING`. Adapters that answer `* PONG <ms>` set the limit themselves (2 × ms).
    public var heartbeatTimeoutMillis: Int
    public var connectTimeoutMillis: Int
    /// Reconnect delays: exponential with jitter from the first value up to the second.
    public var reconnectInitialMillis: Int
    public var reconnectMaxMillis: Int
    /// Keys that feed telemetry points, with their kinds.
    public var items: [ShdrItemMapping]
    /// Keys with no mapping become points named by the key (otherwise they are only counted).
    public var passUnmapped: Bool
    /// A longer line is dropped and counted malformed.
    public var maxLineBytes: Int

    public init(
        name: String, host: String, port: Int = ShdrAdapterSettings.defaultPort, heartbeatTimeoutMillis: Int = 60_000,
        connectTimeoutMillis: Int = 5000, reconnectInitialMillis: Int = 500, reconnectMaxMillis: Int = 30_000,
        items: [ShdrItemMapping] = [], passUnmapped: Bool = false, maxLineBytes: Int = 64 * 1024
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.heartbeatTimeoutMillis = heartbeatTimeoutMillis
        self.connectTimeoutMillis = connectTimeoutMillis
        self.reconnectInitialMillis = reconnectInitialMillis
        self.reconnectMaxMillis = reconnectMaxMillis
        self.items = items
        self.passUnmapped = passUnmapped
        self.maxLineBytes = maxLineBytes
    }

    /// Checks what can be checked without the adapter. Errors name the adapter, the value and the fix.
    public func validate() throws {
        func fail(_ text: String) -> GatewayError { GatewayError(.invalidConfig, "shdr adapter '\(name)': \(text)") }
        guard !name.isEmpty else { throw GatewayError(.invalidConfig, "an shdr adapter has no name; give each adapter a unique name (the machine's)") }
        guard !host.isEmpty else { throw fail("host is empty; set it to the adapter's address, for example 192.168.1.20") }
        guard (1...65535).contains(port) else { throw fail("port \(port) is out of range; use 1-65535 (adapters listen on 7878 by default)") }
        guard heartbeatTimeoutMillis >= 100 else { throw fail("heartbeat timeout \(heartbeatTimeoutMillis) ms is too short; use at least 100 ms") }
        guard reconnectInitialMillis >= 1, reconnectInitialMillis <= reconnectMaxMillis else {
            throw fail("reconnect delays \(reconnectInitialMillis)-\(reconnectMaxMillis) ms are not ascending; the first must be at least 1 and at most the second")
        }
        var keys = Set<String>()
        var points = Set<String>()
        for item in items {
            guard !item.key.isEmpty else { throw fail("an item has an empty key; set key to the data item's name as the adapter sends it") }
            guard keys.insert(item.key).inserted else { throw fail("key '\(item.key)' is mapped twice; keep one entry per key") }
            guard !item.point.isEmpty else { throw fail("item '\(item.key)' has an empty point name") }
            guard points.insert(item.point).inserted else { throw fail("point '\(item.point)' is fed by two keys; give each its own point name") }
            guard item.scale.isFinite, item.scale != 0 else { throw fail("item '\(item.key)' has scale \(item.scale); use a finite non-zero number") }
        }
    }
}
