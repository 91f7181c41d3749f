import Foundation

/// What the read routes need from the running gateway, kept behind a protocol so the API module
/// depends on no storage or pipeline code. Bodies come back as JSON bytes, encoded by the
/// gateway the same way its command line prints them (`gateway events --format json` and the
/// API give the same objects).
public protocol GatewayReader: Sendable {
    /// The checks behind `/readyz`, each with a one-line detail.
    func readiness() async -> [ReadinessCheck]
    /// A JSON object: version, uptime, sources, queue, store, log, sync, machines.
    func status() async throws -> Data
    /// A JSON array: one object per device.
    func devices() async throws -> Data
    /// A JSON array of events, earliest first.
    func events(_ query: APIEventsQuery) async throws -> Data
    /// A JSON array of telemetry samples, earliest first.
    func telemetry(_ query: APITelemetryQuery) async throws -> Data
    /// The latest signed checkpoint (a C2SP signed note), nil before the first.
    func checkpoint() async throws -> String?
    /// A tlog-proof@v1 of entry `index` against the latest checkpoint; throws ``APIError`` 404
    /// for an entry no checkpoint covers yet.
    func proof(index: UInt64) async throws -> String
}

/// One readiness check: the store is open, the sources run, sync is not stalled.
public struct ReadinessCheck: Sendable, Equatable {
    public var name: String
    public var ok: Bool
    public var detail: String

    public init(name: String, ok: Bool, detail: String) {
        self.name = name
        self.ok = ok
        self.detail = detail
    }
}

/// `GET /v1/events` parameters.
public struct APIEventsQuery: Sendable, Equatable {
    /// Unix microseconds; events that started at or after it.
    public var since: Int64?
    public var kind: String?
    public var device: String?
    public var limit: Int

    public init(since: Int64? = nil, kind: String? = nil, device: String? = nil, limit: Int = 1000) {
        self.since = since
        self.kind = kind
        self.device = device
        self.limit = limit
    }
}

/// `GET /v1/telemetry` parameters.
public struct APITelemetryQuery: Sendable, Equatable {
    public var since: Int64?
    public var source: String?
    public var point: String?
    public var limit: Int

    public init(since: Int64? = nil, source: String? = nil, point: String? = nil, limit: Int = 1000) {
        self.since = since
        self.source = source
        self.point = point
        self.limit = limit
    }
}
