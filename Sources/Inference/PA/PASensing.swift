import Foundation
import GatewayCore

/// Presence and motion from a PA node's own signal: people near the antenna shift its near
/// field, which changes the load the amplifier sees. Per window (`windowSeconds`, by frame time
/// stamps) it measures
/// - motion: the spread of the return loss plus the spread of the I/Q block's level relative to
///   the forward-power reading (dB, standard deviations within the window); the second moves
///   with the reflection's phase, which the power readings alone miss;
/// - presence: how far the window's mean return loss is from the empty-room reference (dB).
/// The first `calibrationSeconds` of windows (room assumed empty, as for CSI nodes) set each
/// threshold to the 95th percentile of its score times `thresholdFactor`, with floors of
/// 0.02 dB (motion) and 0.1 dB (presence) so a perfectly steady bench does not alarm on
/// rounding. The reference follows slow drift (5-minute time constant) while the detector is
/// idle. Scores go to the same `PresenceMotionDetector` as CSI windows.
///
/// While the health monitor holds a `pa_vswr` alarm the load itself has failed (a loose
/// connector, a damaged antenna), which moves the return loss far more than a person does:
/// such windows are not scored and do not move the reference.
public struct PASensing: Sendable {
    public static let modelVersion = "pa-nearfield-v1"
    static let motionFloor = 0.02
    static let presenceFloor = 0.1
    static let driftSeconds = 300.0

    private let device: DeviceID
    private let settings: PASettings
    private let windowMicros: Int64
    private var detector: PresenceMotionDetector
    private var windowStart: Int64?
    private var returnLoss = Moments()
    private var iqOffset = Moments()
    private var gamma = Moments()
    private var suspendedFrames = 0
    private var firstTime: Int64?
    private var baseline: [(motion: Double, returnLoss: Double)] = []
    public private(set) var reference: Double?
    public private(set) var motionThreshold: Double?
    public private(set) var presenceThreshold: Double?

    struct Moments: Sendable {
        var n = 0
        var sum = 0.0
        var sumSquares = 0.0
        mutating func add(_ x: Double) { n += 1; sum += x; sumSquares += x * x }
        var mean: Double { n > 0 ? sum / Double(n) : 0 }
        var std: Double { n > 1 ? max(0, (sumSquares - sum * sum / Double(n)) / Double(n - 1)).squareRoot() : 0 }
    }

    public init(device: DeviceID, settings: PASettings, detectorSettings: DetectorSettings) {
        self.device = device
        self.settings = settings
        self.windowMicros = Int64(settings.windowSeconds * 1_000_000)
        self.detector = PresenceMotionDetector(settings: detectorSettings)
    }

    public var isCalibrated: Bool { reference != nil }

    /// Adds one frame's measurement; returns the window's features and any events when the
    /// frame starts a new window.
    public mutating func observe(_ m: PAMeasurement, loadFault: Bool = false,
                                 features: inout [WindowFeatures], events: inout [SensingEvent]) {
        if firstTime == nil { firstTime = m.time }
        if let start = windowStart, m.time >= start + windowMicros {
            close(start: start, end: m.time, features: &features, events: &events)
            // Skip empty windows after a gap: the next window starts at this frame's slot.
            windowStart = start + (m.time - start) / windowMicros * windowMicros
        } else if windowStart == nil {
            windowStart = m.time
        }
        returnLoss.add(m.returnLossDb)
        iqOffset.add(m.iqOffsetDb)
        gamma.add(m.reflectionCoefficient)
        if loadFault { suspendedFrames += 1 }
    }

    /// End of stream: score the last window and close open intervals.
    public mutating func finish(at time: Int64, features: inout [WindowFeatures], events: inout [SensingEvent]) {
        if let start = windowStart, returnLoss.n > 0 {
            close(start: start, end: max(time, start + 1), features: &features, events: &events)
        }
        events.append(contentsOf: detector.finish(at: time).map(Self.relabel))
    }

    private mutating func close(start: Int64, end: Int64, features: inout [WindowFeatures], events: inout [SensingEvent]) {
        defer { returnLoss = Moments(); iqOffset = Moments(); gamma = Moments(); suspendedFrames = 0 }
        let frames = returnLoss.n
        let motion = returnLoss.std + iqOffset.std
        let level = returnLoss.mean
        var presence = 0.0
        if let reference { presence = abs(level - reference) }
        features.append(WindowFeatures(device: device, start: start, end: min(end, start + windowMicros), frames: frames,
                                       meanRSSI: 0, meanAmplitude: gamma.mean, motionScore: motion, presenceScore: presence))
        guard frames >= 3 else { return }
        if suspendedFrames > 0 {
            // Advances hold times only; the baseline must not learn a failed load either.
            if let motionThreshold, let presenceThreshold {
                let scores = WindowScores(device: device, start: start, end: start + windowMicros, scored: false, motionScore: motion,
                                          motionThreshold: motionThreshold, presenceScore: presence, presenceThreshold: presenceThreshold)
                events.append(contentsOf: detector.observe(scores).map(Self.relabel))
            }
            return
        }
        guard let reference, let motionThreshold, let presenceThreshold else {
            baseline.append((motion, level))
            if let first = firstTime, Double(end - first) / 1_000_000 >= settings.calibrationSeconds, baseline.count >= 5 {
                calibrate()
            }
            return
        }
        let scores = WindowScores(device: device, start: start, end: start + windowMicros, motionScore: motion,
                                  motionThreshold: motionThreshold, presenceScore: presence, presenceThreshold: presenceThreshold)
        events.append(contentsOf: detector.observe(scores).map(Self.relabel))
        if detector.isIdle, motion < motionThreshold / 2, presence < presenceThreshold / 2 {
            let step = settings.windowSeconds / Self.driftSeconds
            self.reference = reference + (level - reference) * step
        }
    }

    private mutating func calibrate() {
        let levels = baseline.map(\.returnLoss)
        let median = CalibrationBuilder.percentile(levels, 0.5)
        reference = median
        motionThreshold = max(Self.motionFloor, CalibrationBuilder.percentile(baseline.map(\.motion), 0.95) * settings.thresholdFactor)
        presenceThreshold = max(Self.presenceFloor, CalibrationBuilder.percentile(levels.map { abs($0 - median) }, 0.95) * settings.thresholdFactor)
        baseline.removeAll()
    }

    /// Events keep the shared detector's logic but name this model.
    static func relabel(_ event: SensingEvent) -> SensingEvent {
        var event = event
        event.modelVersion = modelVersion
        return event
    }
}
