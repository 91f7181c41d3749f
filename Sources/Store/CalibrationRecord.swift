import GatewayCore

/// A row of the calibrations table: one calibration a device got, when and from what.
///
/// The store does not interpret `body` (the calibration as JSON, written and read by the
/// Inference module's `CalibrationDocument`); the figures beside it are copies for listing.
public struct CalibrationRecord: Sendable, Equatable {
    /// The row id, assigned when stored (nil before). Ids are never reused.
    public var id: Int64?
    public var device: DeviceID
    /// Unix microseconds when the calibration was made.
    public var created: Int64
    /// What it was learnt from: `capture:<path>`, `live` (the daemon's first seconds of a
    /// stream), `adapted` (drift adaptation while the room was judged empty).
    public var source: String
    public var seconds: Double
    public var windows: Int
    public var motionThreshold: Double
    public var presenceThreshold: Double
    public var gainStepFraction: Double
    public var warnings: [String]
    public var body: String

    public init(
        id: Int64? = nil, device: DeviceID, created: Int64, source: String, seconds: Double, windows: Int,
        motionThreshold: Double, presenceThreshold: Double, gainStepFraction: Double, warnings: [String], body: String
    ) {
        self.id = id
        self.device = device
        self.created = created
        self.source = source
        self.seconds = seconds
        self.windows = windows
        self.motionThreshold = motionThreshold
        self.presenceThreshold = presenceThreshold
        self.gainStepFraction = gainStepFraction
        self.warnings = warnings
        self.body = body
    }

    /// Names this row in messages: "calibration row 12 of device 'kitchen'".
    public var label: String {
        "calibration row \(id.map(String.init) ?? "(unsaved)") of device '\(device)'"
    }

    public static func capture(_ path: String) -> String { "capture:\(path)" }
    public static let live = "live"
    public static let adapted = "adapted"
}
