/// One reading from a machine: a Modbus point, an MTConnect SHDR data item, a serial
/// instrument's value, or PA telemetry. Stored in the `telemetry` table and appended to the
/// signed log as a `TelemetrySample` protobuf (Protos/sensing/v1/sensing.proto).
public struct TelemetrySample: Sendable, Equatable, Codable {
    /// The machine or device that produced the reading (a configured device name).
    public var source: String
    /// The point's configured name, unique within `source`.
    public var point: String
    public var value: TelemetryValue
    /// Engineering unit after scaling ("degC", "rpm", "%"), empty when the point has none.
    public var unit: String
    public var quality: TelemetryQuality
    /// Unix microseconds: when the gateway received the reading (or the adapter's own time
    /// stamp for SHDR when it sends one).
    public var time: Int64

    public init(
        source: String, point: String, value: TelemetryValue, unit: String = "",
        quality: TelemetryQuality = .good, time: Int64
    ) {
        self.source = source
        self.point = point
        self.value = value
        self.unit = unit
        self.quality = quality
        self.time = time
    }
}

/// A reading's value, typed as the protocol delivered it after scaling.
public enum TelemetryValue: Sendable, Equatable, Hashable, Codable {
    case number(Double)
    case integer(Int64)
    case boolean(Bool)
    case text(String)

    /// The value as a number where it is one (booleans as 0/1), for detectors and deadbands.
    public var numeric: Double? {
        switch self {
        case .number(let value): value
        case .integer(let value): Double(value)
        case .boolean(let value): value ? 1 : 0
        case .text: nil
        }
    }
}

/// OPC-style quality: `bad` readings carry the last value or none and say why in the source's
/// health; `uncertain` marks values the peer flagged (SHDR `UNAVAILABLE`, a stale cache).
public enum TelemetryQuality: String, Sendable, Equatable, Codable, CaseIterable {
    case good
    case uncertain
    case bad
}
