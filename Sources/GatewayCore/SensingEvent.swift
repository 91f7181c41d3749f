/// Something a detector inferred about a device: an interval (presence, motion) or an instant (fall).
public struct SensingEvent: Sendable, Equatable, Codable {
    /// Unique per gateway: "<device>/<kind>/<start>".
    public var id: String
    public var device: DeviceID
    public var kind: EventKind
    public var confidence: Double
    /// Unix microseconds.
    public var start: Int64
    /// Unix microseconds; nil while an interval is open. Equal to `start` for instant events.
    public var end: Int64?
    public var modelVersion: String
    /// The features that decided the event, in a stable order.
    public var features: [NamedValue]

    public init(
        device: DeviceID, kind: EventKind, confidence: Double, start: Int64, end: Int64?,
        modelVersion: String, features: [NamedValue] = []
    ) {
        self.id = "\(device.rawValue)/\(kind.rawValue)/\(start)"
        self.device = device
        self.kind = kind
        self.confidence = confidence
        self.start = start
        self.end = end
        self.modelVersion = modelVersion
        self.features = features
    }
}

/// Event kinds are open-ended strings so a new detector needs no schema change.
public struct EventKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let presence: EventKind = "presence"
    public static let motion: EventKind = "motion"
    public static let fall: EventKind = "fall"
    /// A numeric telemetry stream changed level or variance (`RegimeShiftDetector`).
    public static let regimeShift: EventKind = "regime_shift"
    /// A device's CSI entropy settled at a new level (`EnergyRegimeDetector`, diffusion engine).
    public static let energyRegime: EventKind = "energy_regime"
}

/// A named number, used for event features.
public struct NamedValue: Sendable, Equatable, Codable {
    public var name: String
    public var value: Double
    public init(_ name: String, _ value: Double) {
        self.name = name
        self.value = value
    }
}
