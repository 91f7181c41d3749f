/// Tuning of `RegimeShiftDetector`. The defaults were chosen by simulation on Gaussian noise:
/// about 0.3 false alarms per 100 000 stationary samples, a 1 σ level shift found after ~20
/// samples (90 % within 30), a doubled variance after ~70 (90 % within ~150), a halved one
/// a little later. `swift test --filter RegimeShift` measures them again.
public struct RegimeShiftSettings: Sendable, Equatable {
    /// Samples a regime must last before a change can end it: its first samples estimate the
    /// regime's mean and standard deviation. Also the minimum segment length.
    public var minSegmentSamples = 100
    /// The reference keeps growing with samples older than `guardSamples` (so a change that is
    /// being detected does not leak into it) up to this many, for a sharper estimate.
    public var maxReferenceSamples = 2000
    public var guardSamples = 50
    /// Level CUSUM slack k, in reference standard deviations: half the level shift to detect
    /// fastest (0.5 for 1 σ).
    public var levelSlack = 0.5
    /// Level CUSUM decision threshold h, in standard deviations.
    public var levelThreshold = 11.0
    /// The variance ratio the variance CUSUMs are tuned for (r and 1/r).
    public var varianceRatio = 2.0
    /// Variance CUSUM decision threshold, in log-likelihood units.
    public var varianceThreshold = 13.0
    /// Standardised values are clipped to ±this, so one wild reading cannot declare a regime.
    public var clip = 4.0
    /// After a detection, samples within this many seconds are skipped (a transient after a
    /// step is neither the old regime nor the new one).
    public var cooldownSeconds = 0.0
    /// Floor for the reference standard deviation (a constant signal has none).
    public var minimumStd = 1e-9

    public init() {}

    /// Nil when the settings are usable, else what to fix.
    public var problem: String? {
        if minSegmentSamples < 10 { return "min segment samples \(minSegmentSamples) is too small; use at least 10 to estimate a mean and a standard deviation" }
        if maxReferenceSamples < minSegmentSamples { return "max reference samples \(maxReferenceSamples) must be at least min segment samples \(minSegmentSamples)" }
        if guardSamples < 0 { return "guard samples must not be negative" }
        if !(levelSlack >= 0 && levelThreshold > 0 && varianceThreshold > 0) { return "slack must be >= 0 and thresholds > 0" }
        if !(varianceRatio > 1) { return "variance ratio \(varianceRatio) must be above 1 (2 detects doubling and halving)" }
        if !(clip > 0 && cooldownSeconds >= 0 && minimumStd > 0) { return "clip and minimum std must be > 0 and the cooldown >= 0" }
        return nil
    }
}
