import Foundation

/// A one-word verdict on a calibration, with the reasons behind a poor one.
///
/// Poor means the thresholds learnt may not describe the empty room: too little of it was seen,
/// or the builder saw something other than an empty room (someone moving). Gain compensation
/// (the receiver's AGC switching) is not poor by itself: the calibration is sound, motion is just
/// less sensitive, and its warning says so.
public struct CalibrationQuality: Sendable, Equatable {
    public enum Verdict: String, Sendable, Codable {
        case good, poor
    }

    public var verdict: Verdict
    /// Why the verdict is poor (empty when good).
    public var reasons: [String]

    public var isPoor: Bool { verdict == .poor }

    /// Below this many seconds of empty room a calibration is poor (the builder warns below 3 s).
    public static let minimumSeconds = 3.0
    /// Below this many windows the 95th percentiles rest on too few samples.
    public static let minimumWindows = 5

    public init(_ calibration: Calibration) {
        var reasons: [String] = []
        if calibration.seconds < Self.minimumSeconds || calibration.windows < Self.minimumWindows {
            reasons.append(String(
                format: "too short: %d windows over %.1f s; calibrate on at least 5 s of the empty room",
                calibration.windows, calibration.seconds))
        }
        let figures = [calibration.motionThreshold, calibration.presenceThreshold, calibration.motionP95, calibration.presenceP95]
        if !figures.allSatisfy(\.isFinite) {
            reasons.append("thresholds are not finite numbers; recalibrate")
        }
        // Every warning but the AGC notice says the room was not what calibration assumes
        // (short spans are already counted above; anything new the builder learns to warn about
        // counts as poor until it is known to be harmless).
        // The notice of ignored edges is not poor either: what remained was steady.
        for warning in calibration.warnings
        where !Self.isGainNotice(warning, calibration) && !Self.isShortNotice(warning) && !warning.hasPrefix("ignored") {
            reasons.append(warning)
        }
        self.reasons = reasons
        self.verdict = reasons.isEmpty ? .good : .poor
    }

    /// The builder's note that motion is judged on gain-compensated amplitudes.
    private static func isGainNotice(_ warning: String, _ calibration: Calibration) -> Bool {
        calibration.gainCompensated && warning.contains("AGC")
    }

    private static func isShortNotice(_ warning: String) -> Bool {
        warning.hasPrefix("calibration covers only")
    }
}

extension Calibration {
    /// Whether this calibration can be trusted (see ``CalibrationQuality``).
    public var quality: CalibrationQuality { CalibrationQuality(self) }
}

extension CalibrationQuality {
    /// Above this ratio between the loudest and the quietest part's 90th percentile motion
    /// score, the room did not stay the same during calibration.
    public static let unsteadyMotionRatio = 3.0

    /// A warning when the calibration windows' motion changed over time: the span is cut into
    /// up to 5 parts (at least 5 windows each) and the parts' 90th percentile motion scores
    /// compared. Empty rooms (simulated, and ESPectre's quiet baselines but for the two with a
    /// disturbance) agree within a factor of 1.5; a simulated person walking through a third of
    /// the span lifts its part 4.4-fold, yet not the builder's p95/median (a person present for
    /// a third of the span or more raises the median too). A person present and still all along
    /// cannot be told from an empty room this way. `motionScores` are the windows' scores in
    /// time order, `seconds` the span they cover.
    public static func unsteadyMotionWarning(motionScores: [Double], seconds: Double) -> String? {
        guard let levels = partLevels(motionScores),
              let quietest = levels.min(), let loudest = levels.max(), quietest > 0,
              let index = levels.firstIndex(of: loudest)
        else { return nil }
        let ratio = loudest / quietest
        guard ratio > unsteadyMotionRatio else { return nil }
        let length = seconds / Double(levels.count)
        return String(
            format: "motion between %.1f s and %.1f s of the calibration was %.1fx that of its quietest part: was someone in the room? recalibrate with the room empty",
            Double(index) * length, Double(index + 1) * length, ratio)
    }

    /// The 90th percentile motion score of each of up to 5 equal parts of a span's windows (at
    /// least 5 windows a part), in time order; nil when there are not 2 parts. Non-finite
    /// scores count as 0 so that parts stay aligned with the windows.
    static func partLevels(_ motionScores: [Double]) -> [Double]? {
        let scores = motionScores.map { $0.isFinite ? $0 : 0 }
        let parts = min(5, scores.count / 5)
        guard parts >= 2 else { return nil }
        return (0..<parts).map { part -> Double in
            let slice = scores[(part * scores.count / parts)..<((part + 1) * scores.count / parts)].sorted()
            return slice[Int(0.9 * Double(slice.count - 1))]
        }
    }
}
