/// How `cloud-sync` reaches a PostgreSQL database (`storage: {postgres: {...}}`). Several
/// replicas may point at the same database: batches of one origin are serialised by a row lock.
public struct PostgresSettings: Sendable, Equatable {
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP (loopback or a trusted network only).
        case disable
        /// TLS if the server offers it (PostgreSQL's own default, `sslmode=prefer`).
        case prefer
        /// TLS or no connection, with the server's certificate checked against the system's roots.
        case require
    }

    public var host = "127.0.0.1"
    public var port = 5432
    public var user = "cloud_sync"
    public var database = "cloud_sync"
    /// A file holding the password (first line), so the config itself holds no secret; empty for
    /// trust or peer authentication.
    public var passwordFile = ""
    public var tls = TLSMode.prefer
    /// Most connections one replica opens.
    public var maxConnections = 8

    public init() {}

    /// `user@host:port/database`, for logs (never the password).
    public var displayName: String { "\(user)@\(host):\(port)/\(database)" }
}
