import Foundation
import GatewayCore

/// The first presence and motion detector: moving variance of subcarrier amplitudes against a
/// threshold learnt from an empty room, with a k-of-n vote to start and hold times to end.
///
/// - motion: `votesNeeded` of the last `voteWindows` windows have a motion score above the
///   calibrated threshold; ends `motionHoldSeconds` after the last such window.
/// - presence: starts with motion, or when the window profile departs from every empty-room
///   profile by more than the presence threshold (a still person changes the static channel);
///   ends `presenceHoldSeconds` after the last evidence of either.
public struct PresenceMotionDetector: Detector {
    public let modelVersion = "variance-v1"
    private let settings: DetectorSettings
    private let holdMotion: Int64
    private let holdPresence: Int64

    private var votes: [(over: Bool, presence: Bool, start: Int64, coherentOnly: Bool)] = []
    private var motion: OpenInterval?
    private var presence: OpenInterval?

    struct OpenInterval {
        var event: SensingEvent
        var lastEvidence: Int64
        var peakRatio: Double
        var peakScore: Double
        /// The threshold in force when the interval opened (a calibration may adapt meanwhile).
        var threshold: Double
        var windows: Int
        /// The coherence threshold in force when the interval opened, if the cue was available.
        var coherenceThreshold: Double? = nil
        /// Windows that counted as motion on coherence alone, and the highest coherence seen.
        var coherentOnly = 0
        var peakCoherence = 0.0
    }

    public init(settings: DetectorSettings) {
        self.settings = settings
        self.holdMotion = Int64(settings.motionHoldSeconds * 1_000_000)
        self.holdPresence = Int64(settings.presenceHoldSeconds * 1_000_000)
    }

    /// No presence or motion interval is open.
    public var isIdle: Bool { motion == nil && presence == nil }

    public mutating func observe(_ window: AnalysisWindow, calibration: Calibration) -> [SensingEvent] {
        let f = window.features
        return observe(WindowScores(
            device: f.device, start: f.start, end: f.end, scored: !window.profile.isEmpty,
            motionScore: f.motionScore, motionThreshold: calibration.motionThreshold,
            presenceScore: f.presenceScore, presenceThreshold: calibration.presenceThreshold,
            coherence: f.coherence, coherenceThreshold: calibration.coherenceThreshold))
    }

    /// The detector's decision on one window's scores, whatever sensor produced them (CSI
    /// windows through `observe(_:calibration:)`, GaN PA windows through `PASensing`).
    public mutating func observe(_ f: WindowScores) -> [SensingEvent] {
        var out: [SensingEvent] = []
        if f.scored {
            let motionRatio = f.motionScore / f.motionThreshold
            let presenceRatio = f.presenceScore / f.presenceThreshold
            // Coherent change of many subcarriers is motion even below the variance threshold.
            let coherent = settings.coherenceMotion && f.coherenceThreshold.map { f.coherence > $0 } == true
            let moving = motionRatio > 1 || coherent
            votes.append((moving, presenceRatio > 1, f.start, moving && motionRatio <= 1))
            if votes.count > settings.voteWindows { votes.removeFirst(votes.count - settings.voteWindows) }
            let motionVotes = votes.filter(\.over)
            let presenceVotes = votes.filter { $0.presence || $0.over }

            if moving {
                if motion != nil {
                    motion?.lastEvidence = f.end
                    motion?.windows += 1
                    if motionRatio <= 1 { motion?.coherentOnly += 1 }
                    if f.coherence > (motion?.peakCoherence ?? 0) { motion?.peakCoherence = f.coherence }
                    if motionRatio > (motion?.peakRatio ?? 0) {
                        motion?.peakRatio = motionRatio
                        motion?.peakScore = f.motionScore
                    }
                } else if motionVotes.count >= settings.votesNeeded {
                    let start = motionVotes.first?.start ?? f.start
                    let event = SensingEvent(
                        device: f.device, kind: .motion, confidence: Self.confidence(motionRatio),
                        start: start, end: nil, modelVersion: modelVersion,
                        features: motionFeatures(score: f.motionScore, ratio: motionRatio, threshold: f.motionThreshold, windows: motionVotes.count))
                    motion = OpenInterval(event: event, lastEvidence: f.end, peakRatio: motionRatio,
                                          peakScore: f.motionScore, threshold: f.motionThreshold, windows: motionVotes.count,
                                          coherenceThreshold: f.coherenceThreshold,
                                          coherentOnly: motionVotes.filter(\.coherentOnly).count, peakCoherence: f.coherence)
                    out.append(event)
                }
            }
            // Fresh evidence only: a motion interval held open after movement stopped is not.
            let evidence = moving || presenceRatio > 1
            if evidence, presence != nil {
                presence?.lastEvidence = f.end
                presence?.windows += 1
                let ratio = max(motionRatio, presenceRatio)
                if ratio > (presence?.peakRatio ?? 0) {
                    presence?.peakRatio = ratio
                    presence?.peakScore = f.presenceScore
                }
            } else if presence == nil, evidence, motion != nil || presenceVotes.count >= settings.votesNeeded {
                let start = min(motion?.event.start ?? f.start, presenceVotes.first?.start ?? f.start)
                let ratio = max(motionRatio, presenceRatio)
                let event = SensingEvent(
                    device: f.device, kind: .presence, confidence: Self.confidence(ratio), start: start, end: nil,
                    modelVersion: modelVersion,
                    features: presenceFeatures(score: f.presenceScore, ratio: ratio, threshold: f.presenceThreshold, windows: 1))
                presence = OpenInterval(event: event, lastEvidence: f.end, peakRatio: ratio,
                                        peakScore: f.presenceScore, threshold: f.presenceThreshold, windows: 1)
                out.append(event)
            }
        }
        if let open = motion, f.end - open.lastEvidence >= holdMotion {
            out.append(close(open, isMotion: true))
            motion = nil
        }
        if let open = presence, motion == nil, f.end - open.lastEvidence >= holdPresence {
            out.append(close(open, isMotion: false))
            presence = nil
        }
        return out
    }

    public mutating func finish(at time: Int64) -> [SensingEvent] {
        var out: [SensingEvent] = []
        for open in [motion, presence].compactMap({ $0 }) {
            var event = open.event
            event.end = max(event.start, min(time, open.lastEvidence))
            event.confidence = Self.confidence(open.peakRatio)
            event.features.append(NamedValue("closed_at_end_of_stream", 1))
            out.append(event)
        }
        motion = nil
        presence = nil
        votes.removeAll()
        return out
    }

    private func close(_ open: OpenInterval, isMotion: Bool) -> SensingEvent {
        var event = open.event
        event.end = open.lastEvidence
        event.confidence = Self.confidence(open.peakRatio)
        event.features = isMotion
            ? motionFeatures(score: open.peakScore, ratio: open.peakRatio, threshold: open.threshold, windows: open.windows)
            : presenceFeatures(score: open.peakScore, ratio: open.peakRatio, threshold: open.threshold, windows: open.windows)
        if isMotion, settings.coherenceMotion, let threshold = open.coherenceThreshold {
            event.features += [NamedValue("peak_coherence", open.peakCoherence), NamedValue("coherence_threshold", threshold),
                               NamedValue("coherence_only_windows", Double(open.coherentOnly))]
        }
        return event
    }

    private func motionFeatures(score: Double, ratio: Double, threshold: Double, windows: Int) -> [NamedValue] {
        [NamedValue("peak_motion_score", score), NamedValue("motion_threshold", threshold),
         NamedValue("peak_ratio", ratio), NamedValue("windows", Double(windows))]
    }

    private func presenceFeatures(score: Double, ratio: Double, threshold: Double, windows: Int) -> [NamedValue] {
        [NamedValue("peak_presence_score", score), NamedValue("presence_threshold", threshold),
         NamedValue("peak_ratio", ratio), NamedValue("windows", Double(windows))]
    }

    /// Maps how far a score exceeded its threshold to (0.5, 1): 0.5 at the threshold, 0.75 at twice it.
    static func confidence(_ ratio: Double) -> Double {
        guard ratio > 1 else { return 0.5 }
        return min(0.99, 1 - 0.5 / ratio)
    }
}

/// One window's motion and presence scores with the thresholds they are judged against.
public struct WindowScores: Sendable, Equatable {
    public var device: DeviceID
    public var start: Int64
    public var end: Int64
    /// False when the window could not be scored (too few frames): it only advances hold times.
    public var scored: Bool
    public var motionScore: Double
    public var motionThreshold: Double
    public var presenceScore: Double
    public var presenceThreshold: Double
    /// Mean absolute correlation between subcarriers over the window (CSI only), and the level
    /// above which it counts as motion; nil when the sensor or calibration has no such cue.
    public var coherence: Double
    public var coherenceThreshold: Double?

    public init(device: DeviceID, start: Int64, end: Int64, scored: Bool = true,
                motionScore: Double, motionThreshold: Double, presenceScore: Double, presenceThreshold: Double,
                coherence: Double = 0, coherenceThreshold: Double? = nil) {
        self.device = device
        self.start = start
        self.end = end
        self.scored = scored
        self.motionScore = motionScore
        self.motionThreshold = motionThreshold
        self.presenceScore = presenceScore
        self.presenceThreshold = presenceThreshold
        self.coherence = coherence
        self.coherenceThreshold = coherenceThreshold
    }
}
