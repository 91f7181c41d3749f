import DSP
import Diffusion
import Foundation
import GatewayCore

/// What a device's empty room looks like: reference profiles and the thresholds learnt from them.
///
/// Learnt from the first seconds of a stream (or another capture) that the user declares empty.
/// Presence compares a window's profile with every reference profile, as esp-radar's "wander"
/// does, but with a gain-normalised RMS difference instead of 1 - Pearson correlation: on a
/// nearly flat channel (a strong line of sight) the correlation of two empty-room profiles is
/// dominated by noise, while the normalised difference stays small until something in the room
/// changes the channel. Motion compares the window's amplitude variance with the spread the
/// empty room showed.
public struct Calibration: Sendable, Equatable, Codable {
    /// Up to `maxProfiles` mean-amplitude profiles of empty-room windows, evenly spread in time.
    public var profiles: [[Float]]
    public var motionThreshold: Double
    public var presenceThreshold: Double
    /// What the thresholds were learnt from.
    public var windows: Int
    public var seconds: Double
    /// 95th percentiles of the empty room's scores (the thresholds' bases).
    public var motionP95: Double
    public var presenceP95: Double
    /// Human-readable warnings: too short, too noisy, movement seen during calibration.
    public var warnings: [String]
    /// Share of the empty room's frames whose level jumped by a gain step (AGC switching).
    public var gainStepFraction: Double
    /// Whether motion is judged on gain-compensated amplitudes (`AnalysisWindow.compensatedMotionScore`):
    /// chosen when the receiver's gain was seen switching during calibration.
    public var gainCompensated: Bool
    /// The empty room's typical mean amplitude (median over windows) and the weight that puts a
    /// window's level change, |ln(level / reference)|, on the scale of profile distances. 0 when
    /// the level cannot be trusted (AGC switching): presence then rests on the profile's shape.
    public var levelReference: Double
    public var levelWeight: Double
    /// 95th percentile of the empty room's window coherence, and the threshold above which a
    /// window's coherence counts as motion (`DetectorSettings.coherenceMotion`). nil in
    /// calibrations from before the feature, and the threshold is nil when the receiver's gain
    /// switched during calibration (level-keeping coherence cannot be trusted then).
    public var coherenceP95: Double?
    public var coherenceThreshold: Double?
    /// The device's energy model (diffusion engine), learnt from the same empty-room frames;
    /// nil in calibrations from before the engine or with `diffusion.enabled: false`.
    public var energyModel: EnergyModel?

    public static let maxProfiles = 10

    public init(profiles: [[Float]], motionThreshold: Double, presenceThreshold: Double, windows: Int,
                seconds: Double, motionP95: Double, presenceP95: Double, warnings: [String],
                gainStepFraction: Double = 0, gainCompensated: Bool = false, levelReference: Double = 0, levelWeight: Double = 0,
                coherenceP95: Double? = nil, coherenceThreshold: Double? = nil) {
        self.profiles = profiles
        self.motionThreshold = motionThreshold
        self.presenceThreshold = presenceThreshold
        self.windows = windows
        self.seconds = seconds
        self.motionP95 = motionP95
        self.presenceP95 = presenceP95
        self.warnings = warnings
        self.gainStepFraction = gainStepFraction
        self.gainCompensated = gainCompensated
        self.levelReference = levelReference
        self.levelWeight = levelWeight
        self.coherenceP95 = coherenceP95
        self.coherenceThreshold = coherenceThreshold
    }

    /// Above this share of frames with gain steps, motion is judged on compensated amplitudes.
    public static let gainStepLimit = 0.01

    /// The motion score this calibration's thresholds apply to: gain-compensated when the
    /// calibration chose it, and for any window in which the receiver's gain stepped (a step
    /// would otherwise read as a burst of movement).
    public func motionScore(of window: AnalysisWindow) -> Double {
        gainCompensated || window.gainSteps > 0 ? window.compensatedMotionScore : window.features.motionScore
    }

    /// How far a window departs from the empty room: the larger of its profile's shape distance
    /// (below) and its level change, weighted so that both have the empty room's spread. A still
    /// person on a nearly flat channel mostly changes the level; one off the line of sight, the shape.
    public func presenceScore(_ profile: [Float], level: Double) -> Double {
        let shape = presenceScore(profile)
        guard levelWeight > 0, levelReference > 0, level > 0 else { return shape }
        return max(shape, levelWeight * abs(log(level / levelReference)))
    }

    /// The smallest shape distance (`Vector.shapeDistance`) of `profile` to a reference profile:
    /// 0 for the empty room's shape, about 0.1 when subcarriers differ by 10 % of their level.
    public func presenceScore(_ profile: [Float]) -> Double {
        var best = Float.infinity
        profile.withUnsafeBufferPointer { current in
            for reference in profiles where reference.count == profile.count {
                reference.withUnsafeBufferPointer { ref in
                    best = min(best, Vector.shapeDistance(current, ref))
                }
            }
        }
        return best.isFinite ? Double(best) : 0
    }
}

/// Collects empty-room windows and turns them into a `Calibration`.
///
/// A disturbance at either edge of the span (the installer walking out after starting it, the
/// receiver's gain settling in its first second, someone walking in at the end) is cut off
/// before anything is learnt, with a notice saying what was ignored (`EdgeTrim`), provided what
/// remains is a steady empty room. A disturbance in the middle, or a remainder that is still
/// restless, is not cut: the calibration keeps everything and is judged poor.
public struct CalibrationBuilder: Sendable {
    /// What the builder keeps of one window.
    struct Entry: Sendable {
        var start: Int64
        var end: Int64
        var motionScore: Double
        var compensatedMotionScore: Double
        var gainSteps: Int
        var frames: Int
        var level: Double
        var coherence: Double
        var profile: [Float]
    }

    private var entries: [Entry] = []

    public init() {}

    public mutating func add(_ window: AnalysisWindow) {
        entries.append(Entry(
            start: window.features.start, end: window.features.end, motionScore: window.features.motionScore,
            compensatedMotionScore: window.compensatedMotionScore, gainSteps: window.gainSteps,
            frames: window.features.frames, level: window.level, coherence: window.features.coherence,
            profile: window.profile))
    }

    /// Seconds from the first window's start to the last one's end.
    public var seconds: Double { Self.seconds(entries[...]) }

    private static func seconds(_ entries: ArraySlice<Entry>) -> Double {
        guard let first = entries.first, let last = entries.last else { return 0 }
        return Double(last.end - first.start) / 1_000_000
    }

    /// Builds the calibration; nil when no window was seen at all.
    public func build(settings: DetectorSettings) -> Calibration? {
        guard !entries.isEmpty else { return nil }
        let all = entries.map(\.motionScore)
        // An edge is cut only when what remains is a steady empty room by every test the
        // builder makes; otherwise everything is kept and the calibration is judged poor.
        if let trim = EdgeTrim(motionScores: all) {
            let kept = entries[trim.kept]
            let notice = trim.notice(seconds: seconds, keptSeconds: Self.seconds(kept))
            let trimmed = Self.learn(from: kept, settings: settings, warnings: [notice])
            if trimmed.quality.reasons.isEmpty,
               CalibrationQuality.unsteadyMotionWarning(motionScores: kept.map(\.motionScore), seconds: trimmed.seconds) == nil {
                return trimmed
            }
        }
        let warnings = CalibrationQuality.unsteadyMotionWarning(motionScores: all, seconds: seconds).map { [$0] } ?? []
        return Self.learn(from: entries[...], settings: settings, warnings: warnings)
    }

    private static func learn(from entries: ArraySlice<Entry>, settings: DetectorSettings, warnings: [String]) -> Calibration {
        var warnings = warnings
        let profiles = entries.map(\.profile)
        let seconds = seconds(entries)
        // Reference profiles: evenly spaced picks across the calibration span.
        let step = max(1, profiles.count / Calibration.maxProfiles)
        let references = stride(from: 0, to: profiles.count, by: step).prefix(Calibration.maxProfiles).map { profiles[$0] }
        let reference = Calibration(profiles: references, motionThreshold: 0, presenceThreshold: 0, windows: 0,
                                    seconds: 0, motionP95: 0, presenceP95: 0, warnings: [])
        // Leave-in distances: how far empty windows stray from the references.
        let shapeDistances = profiles.map { reference.presenceScore($0) }
        let frames = entries.reduce(0) { $0 + $1.frames }
        let gainStepFraction = frames > 0 ? Double(entries.reduce(0) { $0 + $1.gainSteps }) / Double(frames) : 0
        let compensated = gainStepFraction > Calibration.gainStepLimit
        // The level cue, on the shape distances' scale; its spread is floored at 2 % (0.17 dB)
        // so that a very steady room does not make every small drift count.
        let levels = entries.map(\.level)
        let levelReference = percentile(levels.filter { $0 > 0 }, 0.5)
        var levelWeight = 0.0
        var distances = shapeDistances
        if !compensated, levelReference > 0 {
            let deviations = levels.map { $0 > 0 ? abs(log($0 / levelReference)) : 0 }
            levelWeight = max(percentile(shapeDistances, 0.95), 0.005) / max(percentile(deviations, 0.95), 0.02)
            distances = zip(shapeDistances, deviations).map { max($0, levelWeight * $1) }
        }
        let scores = compensated ? entries.map(\.compensatedMotionScore) : entries.map(\.motionScore)
        let motionP95 = percentile(scores, 0.95)
        let presenceP95 = percentile(distances, 0.95)
        let motionMedian = percentile(scores, 0.5)
        let coherences = entries.map(\.coherence).filter { $0 > 0 }
        let coherenceP95: Double? = coherences.isEmpty ? nil : percentile(coherences, 0.95)
        let coherenceThreshold = compensated ? nil : coherenceP95.map { $0 + (1 - $0) * min(1, max(0, settings.coherenceGap)) }
        if compensated {
            warnings.append(String(
                format: "the receiver's gain jumped in %.1f%% of frames (AGC not locked): motion is judged on gain-compensated amplitudes, which cannot see changes that scale every subcarrier alike; lock the node's AGC gain for full sensitivity",
                gainStepFraction * 100))
        }
        if seconds < 3 {
            warnings.append(String(format: "calibration covers only %.1f s; use at least 5 s of an empty room", seconds))
        }
        if motionMedian > 0, motionP95 / motionMedian > 8 {
            warnings.append("motion scores varied strongly during calibration (p95/median > 8): was someone moving? recalibrate with the room empty")
        }
        // Floors keep a near-perfectly still calibration from producing hair-trigger thresholds.
        let motionThreshold = max(motionP95 * settings.motionThresholdFactor, 1e-6)
        let presenceThreshold = max(presenceP95 * settings.presenceThresholdFactor, 0.005)
        return Calibration(
            profiles: references, motionThreshold: motionThreshold, presenceThreshold: presenceThreshold,
            windows: profiles.count, seconds: seconds, motionP95: motionP95, presenceP95: presenceP95,
            warnings: warnings, gainStepFraction: gainStepFraction, gainCompensated: compensated,
            levelReference: levelReference, levelWeight: levelWeight,
            coherenceP95: coherenceP95, coherenceThreshold: coherenceThreshold)
    }

    static func percentile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let lower = Int(position)
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
