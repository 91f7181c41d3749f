import GatewayCore

/// One analysis window of one device, as detectors see it.
public struct AnalysisWindow: Sendable {
    public var features: WindowFeatures
    /// Mean amplitude per selected subcarrier over the window.
    public var profile: [Float]

    public init(features: WindowFeatures, profile: [Float]) {
        self.features = features
        self.profile = profile
    }
}

/// The seam every detector plugs into: one instance per device, fed windows in time order.
///
/// A detector returns events as they change: an interval event is returned when it opens
/// (`end == nil`) and again, with the same id, when it closes.
public protocol Detector: Sendable {
    /// Stored with every event the detector emits.
    var modelVersion: String { get }
    mutating func observe(_ window: AnalysisWindow, calibration: Calibration) -> [SensingEvent]
    /// The stream ended at `time` (end of a file, shutdown): close or decide what is pending.
    mutating func finish(at time: Int64) -> [SensingEvent]
}
