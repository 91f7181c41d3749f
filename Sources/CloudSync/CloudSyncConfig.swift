/// Everything `cloud-sync serve` needs, validated (see `CloudSyncConfig+YAML.swift` for the file
/// format). Tests build one directly.
public struct CloudSyncConfig: Sendable {
    public struct Listen: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port; the bound one is logged and exposed as `CloudSyncServer.port`.
        public var port = 8443
        public init() {}
    }

    /// Per-batch bounds: a batch beyond either is refused with `oversized` (413) before it is
    /// decoded, so one client cannot make the service hold unbounded memory.
    public struct Limits: Sendable {
        public var maxEntries = 50_000
        /// Bound on the request body (the serialized `SyncBatch`), in bytes.
        public var maxBytes = 64 << 20
        public init() {}
    }

    public var listen = Listen()
    /// Path of the SQLite database file; its directory must exist.
    public var sqlitePath: String
    /// Enrolled at start (upserted into the database); origins not listed are refused.
    public var gateways: [EnrolledGateway]
    public var limits = Limits()

    public init(sqlitePath: String, gateways: [EnrolledGateway]) {
        self.sqlitePath = sqlitePath
        self.gateways = gateways
    }
}
