import Foundation
import GatewayCore

/// Finds regime changes in one numeric telemetry stream: a change of level (mean) or of
/// variance, online, one sample at a time.
///
/// Method: each regime starts with a reference window (`minSegmentSamples`) that estimates its
/// mean μ and standard deviation σ; the reference then keeps growing with samples older than a
/// guard band. Every new value becomes z = (x − μ)/σ, clipped to ±`clip`, and feeds four
/// one-sided CUSUMs (Page 1954), each reset at zero:
/// - level up / down: S = max(0, S ± z − k), alarm above h (in σ);
/// - variance up / down: the log-likelihood ratio of N(0, rσ²) (or σ²/r) against N(0, σ²),
///   S = max(0, S − ½ln r + ½(1 − 1/r)z²) and S = max(0, S + ½ln r − ½(r − 1)z²).
/// The first CUSUM over its threshold declares the change. Its start is the sample after that
/// CUSUM's last zero (the maximum-likelihood change point of a CUSUM); "after" statistics are
/// the samples from there to the alarm. The new regime is then seeded with those samples.
/// Time stamps may be irregular: the statistics count samples, time is only reported.
///
/// The event (`kind` `regime_shift`) runs from the estimated change to the detection. Its
/// device is "<source>/<point>": the features can only hold numbers, and the id
/// "<device>/<kind>/<start>" must stay unique when several points of one machine shift at the
/// same time stamp (one SHDR line carries many), so the point goes into the device. Readers
/// that want the machine take the device up to its first '/'.
public struct RegimeShiftDetector: Sendable {
    public let modelVersion = "regime-cusum-v1"
    public let source: String
    public let point: String
    public let settings: RegimeShiftSettings
    public let device: DeviceID

    private var reference = RegimeMoments()
    private var regimeStart: Int64?
    private var pendingGuard: [Double] = []
    private var guardHead = 0
    private var cusums = [RegimeCusum](repeating: RegimeCusum(), count: 4)
    private var cooldownUntil: Int64 = .min
    private var lastTime: Int64 = .min
    /// Samples seen of the current regime.
    public private(set) var segmentSamples = 0
    /// Samples skipped: not numeric, not finite, `bad` quality, or older than the last one.
    public private(set) var skipped = 0

    public init(source: String, point: String, settings: RegimeShiftSettings = RegimeShiftSettings()) {
        self.source = source
        self.point = point
        self.settings = settings
        device = DeviceID("\(source)/\(point)")
        pendingGuard.reserveCapacity(settings.guardSamples)
    }

    /// Observes a sample of this detector's point (others are skipped); returns an event when
    /// a regime change is detected.
    public mutating func observe(_ sample: TelemetrySample) -> SensingEvent? {
        guard sample.point == point, sample.source == source, sample.quality != .bad, let value = sample.value.numeric else {
            skipped += 1
            return nil
        }
        return observe(time: sample.time, value: value)
    }

    public mutating func observe(time: Int64, value: Double) -> SensingEvent? {
        guard value.isFinite, time >= lastTime else {
            skipped += 1
            return nil
        }
        lastTime = time
        if time < cooldownUntil { return nil }
        segmentSamples += 1
        if regimeStart == nil { regimeStart = time }
        if reference.count < settings.minSegmentSamples {
            reference.add(value)
            return nil
        }
        let mean = reference.mean
        let std = max(reference.std, settings.minimumStd)
        var z = (value - mean) / std
        z = min(settings.clip, max(-settings.clip, z))
        let z2 = z * z
        let r = settings.varianceRatio
        let halfLogR = 0.5 * Foundation.log(r)
        var fired: Int?
        for i in 0..<4 {
            let increment: Double
            switch i {
            case 0: increment = z - settings.levelSlack
            case 1: increment = -z - settings.levelSlack
            case 2: increment = -halfLogR + 0.5 * (1 - 1 / r) * z2
            default: increment = halfLogR - 0.5 * (r - 1) * z2
            }
            cusums[i].update(increment, value: value, time: time)
            let threshold = i < 2 ? settings.levelThreshold : settings.varianceThreshold
            if fired == nil, cusums[i].sum > threshold { fired = i }
        }
        if let fired {
            return declare(fired, time: time, mean: mean, std: std)
        }
        growReference(with: value)
        return nil
    }

    private mutating func growReference(with value: Double) {
        guard reference.count < settings.maxReferenceSamples else { return }
        if settings.guardSamples == 0 {
            reference.add(value)
            return
        }
        if pendingGuard.count < settings.guardSamples {
            pendingGuard.append(value)
        } else {
            reference.add(pendingGuard[guardHead])
            pendingGuard[guardHead] = value
            guardHead = (guardHead + 1) % settings.guardSamples
        }
    }

    private mutating func declare(_ index: Int, time: Int64, mean: Double, std: Double) -> SensingEvent {
        let cusum = cusums[index]
        let after = cusum.since
        let start = cusum.start ?? time
        let threshold = index < 2 ? settings.levelThreshold : settings.varianceThreshold
        let direction: Double = index % 2 == 0 ? 1 : -1
        let excess = (cusum.sum - threshold) / threshold
        let features = [
            NamedValue("mean_before", mean),
            NamedValue("std_before", std),
            NamedValue("mean_after", after.mean),
            NamedValue("std_after", after.std),
            NamedValue("statistic", cusum.sum),
            NamedValue("threshold", threshold),
            NamedValue("change_variance", index < 2 ? 0 : 1),
            NamedValue("direction", direction),
            NamedValue("samples_before", Double(segmentSamples - after.count)),
            NamedValue("samples_after", Double(after.count)),
        ]
        // Confidence: 0.75 at the threshold, 1 once the statistic is 1.5 times it.
        let event = SensingEvent(
            device: device, kind: .regimeShift, confidence: min(1, 0.5 + 0.5 * excess + 0.25), start: start, end: time,
            modelVersion: modelVersion, features: features)
        // The new regime is estimated from the samples after the detection only. The CUSUM's
        // start is an estimate that often lies a few samples before the true change, so the
        // samples "since" it mix both regimes: seeding the new reference with them inflated its
        // spread, and the next samples then looked like a variance drop (a second, false event).
        reference = RegimeMoments()
        segmentSamples = 0
        regimeStart = start
        pendingGuard.removeAll(keepingCapacity: true)
        guardHead = 0
        cusums = [RegimeCusum](repeating: RegimeCusum(), count: 4)
        if settings.cooldownSeconds > 0 {
            cooldownUntil = time + Int64(settings.cooldownSeconds * 1_000_000)
            // Samples during the cooldown are a transient: the new regime is estimated after it.
            reference = RegimeMoments()
            segmentSamples = 0
        }
        return event
    }
}
