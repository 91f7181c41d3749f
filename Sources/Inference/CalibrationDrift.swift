import Foundation
import GatewayCore

/// Slow adaptation of a device's calibration to drift (furniture moved, a door left open,
/// temperature and humidity, a node nudged), applied only while the room is clearly empty.
///
/// A window counts as clearly empty when no presence or motion interval is open and both its
/// scores stay under `emptyFraction` of their thresholds. Over such windows:
/// - the level reference follows the window level in log space with time constant `levelTau`;
/// - every `replaceInterval` of empty time, the oldest reference profile is replaced by the
///   current window's profile (so the ten references turn over in ten intervals);
/// - thresholds stay as calibrated: adaptation moves the reference, not the sensitivity.
///
/// Both rates are slow on purpose: a person who sits so still that presence misses them is
/// absorbed only after many minutes, and `gateway calibrate` remains the way to start afresh.
/// `changed` reports when a profile was replaced, so the caller can store the calibration.
public struct CalibrationDrift: Sendable {
    public static let emptyFraction = 0.5
    public static let levelTau = 1_800.0
    public static let replaceInterval = 300.0

    private var emptySeconds = 0.0
    private var nextProfile = 0
    public private(set) var adaptations = 0

    public init() {}

    /// Feeds one scored window (scores already computed against `calibration`); returns true
    /// when the calibration changed enough to be worth storing.
    public mutating func observe(_ window: AnalysisWindow, detectorIdle: Bool, calibration: inout Calibration) -> Bool {
        let f = window.features
        let seconds = Double(f.end - f.start) / 1_000_000
        guard detectorIdle, !window.profile.isEmpty, seconds > 0,
              f.presenceScore < Self.emptyFraction * calibration.presenceThreshold,
              calibration.motionScore(of: window) < Self.emptyFraction * calibration.motionThreshold
        else { return false }
        if calibration.levelReference > 0, window.level > 0 {
            let alpha = min(1, seconds / Self.levelTau)
            calibration.levelReference = exp(log(calibration.levelReference) + alpha * log(window.level / calibration.levelReference))
        }
        emptySeconds += seconds
        guard emptySeconds >= Self.replaceInterval - 1e-6, !calibration.profiles.isEmpty else { return false }
        emptySeconds = 0
        let slot = nextProfile % calibration.profiles.count
        guard calibration.profiles[slot].count == window.profile.count else { return false }
        calibration.profiles[slot] = window.profile
        nextProfile = slot + 1
        adaptations += 1
        return true
    }
}
