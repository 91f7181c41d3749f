import Foundation
import GatewayCore
import Inference
import Logging
import Simulation

/// Scores the detectors on labelled captures, window by window, as `gateway eval` prints it.
///
/// Each case is one or more captures run through the same pipeline as `gateway replay`
/// (calibrated from an empty-room capture when one is named), with what truly happened:
/// the whole capture empty, the whole capture active (someone in the room, moving), or labelled
/// intervals (the simulator's ground truth). A window counts as detected when a closed
/// `presence` or `motion` event covers any part of it; a positive window is one the truth marks
/// active. Recall = detected positives / positives; the false-alarm rate = detected negatives /
/// negatives; alarms per hour counts distinct events that touch no positive window.
///
/// Falls are scored per labelled fall: detected when a `fall` event starts within
/// `fallTolerance` seconds of the labelled movement; any other `fall` event is a false fall.
public struct DetectionEvaluator {
    /// Seconds a fall event may start before or after the labelled fall movement.
    public static let fallTolerance = 1.0

    public enum Truth: Sendable, Equatable {
        case empty
        case active
        /// Intervals in seconds from the first frame; windows outside them are negatives.
        case intervals([GroundTruthInterval])
        /// Only windows inside these intervals (seconds from the first frame) are scored: those
        /// in `positives` as occupied, those in `negatives` as empty; a window touching both, or
        /// neither, is left out (annotated recordings label stretches, not the whole file).
        case labelled(positives: [GroundTruthInterval], negatives: [GroundTruthInterval])
    }

    public struct Case: Sendable {
        public var name: String
        public var files: [String]
        public var calibrateFrom: String?
        public var truth: Truth

        public init(name: String, files: [String], calibrateFrom: String? = nil, truth: Truth) {
            self.name = name
            self.files = files
            self.calibrateFrom = calibrateFrom
            self.truth = truth
        }
    }

    public struct Result: Sendable, Equatable, Codable {
        public var name: String
        /// Scored windows (enough frames to decide), and how many the truth marks active.
        public var windows: Int
        public var positives: Int
        public var detectedPositives: Int
        public var falseAlarmWindows: Int
        /// Events that touched no positive window, and the hours of negative windows.
        public var falseAlarmEvents: Int
        public var negativeHours: Double
        /// Seconds from the start of the first active stretch to the end of its first detected window.
        public var latencySeconds: Double?
        /// Warnings the calibration raised (too short, too noisy, ...).
        public var calibrationWarnings: [String]
        /// Labelled falls, those a `fall` event matched, and `fall` events that matched none.
        public var falls = 0
        public var fallsDetected = 0
        public var falseFalls = 0
        /// Confidence of each fall event, matched or not, in time order.
        public var fallConfidences: [Double] = []

        public var negatives: Int { windows - positives }
        public var recall: Double? { positives > 0 ? Double(detectedPositives) / Double(positives) : nil }
        public var falseAlarmRate: Double? { negatives > 0 ? Double(falseAlarmWindows) / Double(negatives) : nil }
        public var falseAlarmsPerHour: Double? { negativeHours > 0 ? Double(falseAlarmEvents) / negativeHours : nil }
    }

    public var settings: DetectorSettings
    public let logger: Logger

    public init(settings: DetectorSettings = DetectorSettings(), logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public func evaluate(_ evaluation: Case) throws -> Result {
        var session = ReplaySession(
            pipeline: try ReplayRunner.pipeline(settings: settings, calibrateFrom: evaluation.calibrateFrom, logger: logger),
            store: nil, commitRows: 4096, logger: logger, progress: nil)
        session.collected = SensingPipeline.Output()
        for file in evaluation.files { try session.feed(file: file) }
        try session.finish()
        let output = session.collected ?? SensingPipeline.Output()
        let warnings = Array(Set(session.pipeline.calibrations.values.flatMap(\.warnings))).sorted()
        return Self.score(name: evaluation.name, features: output.features, events: output.events,
                          truth: evaluation.truth, minFrames: settings.minFramesPerWindow, warnings: warnings)
    }

    /// Scores windows against the truth (exposed for tests).
    static func score(name: String, features: [WindowFeatures], events: [SensingEvent], truth: Truth,
                      minFrames: Int, warnings: [String]) -> Result {
        let all = features.filter { $0.frames >= minFrames }.sorted { $0.start < $1.start }
        let alarms = events.filter { ($0.kind == .presence || $0.kind == .motion) && $0.end != nil }
        let origin = all.first?.start ?? 0
        func touches(_ window: WindowFeatures, _ intervals: [GroundTruthInterval]) -> Bool {
            let start = Double(window.start - origin) / 1_000_000
            let end = Double(window.end - origin) / 1_000_000
            return intervals.contains { $0.start < end && $0.end > start }
        }
        func isPositive(_ window: WindowFeatures) -> Bool {
            switch truth {
            case .empty: return false
            case .active: return true
            case .intervals(let intervals): return touches(window, intervals)
            case .labelled(let positives, _): return touches(window, positives)
            }
        }
        let windows: [WindowFeatures]
        if case .labelled(let positives, let negatives) = truth {
            windows = all.filter { touches($0, positives) != touches($0, negatives) }
        } else {
            windows = all
        }
        func covered(_ window: WindowFeatures, by event: SensingEvent) -> Bool {
            event.device == window.device && event.start < window.end && (event.end ?? .max) > window.start
        }
        var result = Result(name: name, windows: windows.count, positives: 0, detectedPositives: 0, falseAlarmWindows: 0,
                            falseAlarmEvents: 0, negativeHours: 0, latencySeconds: nil, calibrationWarnings: warnings)
        var firstPositiveStart: Int64?
        var truePositiveEvents = Set<Int>()
        for window in windows {
            let positive = isPositive(window)
            let hits = alarms.indices.filter { covered(window, by: alarms[$0]) }
            if positive {
                result.positives += 1
                if firstPositiveStart == nil { firstPositiveStart = window.start }
                truePositiveEvents.formUnion(hits)
                if !hits.isEmpty {
                    result.detectedPositives += 1
                    if result.latencySeconds == nil, let first = firstPositiveStart {
                        result.latencySeconds = Double(window.end - first) / 1_000_000
                    }
                }
            } else {
                result.negativeHours += Double(window.end - window.start) / 3_600_000_000
                if !hits.isEmpty { result.falseAlarmWindows += 1 }
            }
        }
        scoreFalls(events: events, truth: truth, origin: origin, into: &result)
        // Alarms that never touched an active window, counted once each.
        result.falseAlarmEvents = alarms.indices.filter { index in
            !truePositiveEvents.contains(index) && windows.contains { !isPositive($0) && covered($0, by: alarms[index]) }
        }.count
        return result
    }

    private static func scoreFalls(events: [SensingEvent], truth: Truth, origin: Int64, into result: inout Result) {
        let falls = events.filter { $0.kind == .fall }.sorted { $0.start < $1.start }
        let labelled: [GroundTruthInterval]
        if case .intervals(let intervals) = truth { labelled = intervals.filter { $0.kind == EventKind.fall.rawValue } } else { labelled = [] }
        var matched = Set<Int>()
        for interval in labelled {
            let hit = falls.indices.first { index in
                let start = Double(falls[index].start - origin) / 1_000_000
                return !matched.contains(index) && start >= interval.start - fallTolerance && start <= interval.end + fallTolerance
            }
            if let hit { matched.insert(hit) }
        }
        result.falls = labelled.count
        result.fallsDetected = matched.count
        result.falseFalls = falls.count - matched.count
        result.fallConfidences = falls.map(\.confidence)
    }
}
