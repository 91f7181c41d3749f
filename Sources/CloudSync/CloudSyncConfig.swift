/// Everything `cloud-sync serve` needs, validated (see `CloudSyncConfig+YAML.swift` for the file
/// format). Tests build one directly.
public struct CloudSyncConfig: Sendable {
    public struct Listen: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port; the bound one is logged and exposed as `CloudSyncServer.port`.
        public var port = 8443
        /// HTTPS: PEM certificate chain and key (both or neither); with a client CA, gateways
        /// must present a certificate it signed (mutual TLS).
        public var tlsCertificateFile: String?
        public var tlsKeyFile: String?
        public var tlsClientCAFile: String?
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

    /// A gateway the service fetches batches from (`mode: pull` in its `gateways` item) instead
    /// of waiting for pushes.
    public struct PullTarget: Sendable, Equatable {
        public var origin: String
        /// The gateway's HTTP API base URL, e.g. http://10.0.0.5:8080.
        public var url: String
        /// Wait between fetches once the gateway has nothing new.
        public var intervalMillis = 1000
        public var batchMaxEntries = 10_000
        /// Retry delays after a failure: full jitter, exponential from `retryInitialMillis`,
        /// capped at `retryMaxMillis`.
        public var retryInitialMillis = 250
        public var retryMaxMillis = 5000
        public var timeoutMillis = 10_000
        /// Bearer token for the gateway's API (read from `token_file`; it needs role operator,
        /// since the puller acknowledges). nil when the gateway runs without tokens.
        public var token: String?
        /// For an https url: the CA to trust instead of the system's, and a client certificate
        /// and key for a gateway that requires them.
        public var tlsCAFile: String?
        public var tlsCertificateFile: String?
        public var tlsKeyFile: String?

        public init(origin: String, url: String) {
            self.origin = origin
            self.url = url
        }
    }

    /// Where the mirrored logs live.
    public enum Storage: Sendable, Equatable {
        /// An SQLite file (its directory must exist): the embedded default, one service process.
        case sqlite(String)
        /// A PostgreSQL database, which several stateless replicas may share.
        case postgres(PostgresSettings)
    }

    public var listen = Listen()
    public var storage: Storage
    /// Enrolled at start (upserted into the database); origins not listed are refused.
    public var gateways: [EnrolledGateway]
    public var limits = Limits()
    /// Gateways to pull from; every other enrolled gateway pushes.
    public var pulls: [PullTarget] = []

    public init(storage: Storage, gateways: [EnrolledGateway]) {
        self.storage = storage
        self.gateways = gateways
    }

    public init(sqlitePath: String, gateways: [EnrolledGateway]) {
        self.init(storage: .sqlite(sqlitePath), gateways: gateways)
    }

    /// The SQLite file, when that is the storage.
    public var sqlitePath: String? {
        if case .sqlite(let path) = storage { return path }
        return nil
    }

    /// The storage as logs name it: the SQLite path, or `postgres://user@host:port/database`.
    public var storageDescription: String {
        switch storage {
        case .sqlite(let path): path
        case .postgres(let settings): "postgres://\(settings.displayName)"
        }
    }
}
