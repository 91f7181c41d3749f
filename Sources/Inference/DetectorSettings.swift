import Diffusion

/// Tunables of the analysis and the first presence/motion detector. Defaults suit ESP32 nodes
/// at 20 to 1000 frames/s; every value can be set in the config file (`detector.*`).
public struct DetectorSettings: Sendable, Equatable {
    /// Analysis window length (esp-radar uses 200 ms).
    public var windowMillis: Int = 200
    /// Windows with fewer frames than this are stored but not scored.
    public var minFramesPerWindow: Int = 3
    /// Frames in the Hampel filter run over each selected subcarrier's amplitude before anything
    /// else sees it (moments, calibration, detectors): an odd length in `HampelFilter.windowLengths`,
    /// or 0 to switch the filter off. Off by default: ESPectre uses 7, but here 7 lowered the
    /// ESPectre S3 movement recall from 66 % to 48 % and raised false falls on the development
    /// rooms (README, "Detection quality").
    public var hampelWindow: Int = 0
    /// k of the Hampel filter: an amplitude more than k robust standard deviations (1.4826 x MAD)
    /// from its window's median is replaced by the median.
    public var hampelThreshold: Double = 3.0
    /// Seconds of each device's stream treated as an empty room when no calibration is given.
    public var calibrationSeconds: Double = 10
    /// Motion threshold = this factor x the 95th percentile of the empty room's motion scores.
    public var motionThresholdFactor: Double = 3.0
    /// Presence threshold = this factor x the 95th percentile of the empty room's profile distances.
    public var presenceThresholdFactor: Double = 3.0
    /// Of the last `voteWindows` windows, `votesNeeded` must exceed the threshold to start motion.
    public var voteWindows: Int = 3
    public var votesNeeded: Int = 2
    /// Motion ends after this long with no window over the threshold.
    public var motionHoldSeconds: Double = 1.0
    /// Presence ends after this long with neither motion nor a changed profile.
    public var presenceHoldSeconds: Double = 5.0
    /// Count a window as motion also when its coherence (`WindowFeatures.coherence`) exceeds the
    /// calibration's coherence threshold, even if its variance stays under the motion threshold.
    /// On by default: on the development rooms (seeds 1-40) it raised recall (empty-walk-empty
    /// 88.5 % to 90.3 %) with no false alarm and no change on the ESPectre files.
    public var coherenceMotion = true
    /// The coherence threshold lies this far from the empty room's 95th percentile coherence
    /// towards 1 (lockstep): 0.5 is halfway. 0.3 found more on the development rooms (92.7 %) but
    /// raised their first false-alarm window; 0.7 little more than the cue off.
    public var coherenceGap: Double = 0.5
    /// Let calibrations follow slow drift while the room is clearly empty (`CalibrationDrift`).
    public var adaptToDrift = true
    /// Seconds of stillness after a burst before a fall is decided.
    public var fallConfirmSeconds: Double = 3.0
    /// A fall's burst ends at most this long before the stillness (its last window's end to the
    /// first quiet window's end).
    public var fallMaxLeadSeconds: Double = 0.4
    /// The burst's fast energy over the still windows' fast energy must reach this.
    public var fallMinFastRatio: Double = 5.0
    /// (fast ratio - 1) / (the burst's total energy over the still windows') must reach this.
    public var fallMinFastShare: Double = 0.3
    /// The energy diffusion engine (config section `diffusion`): imputation before the
    /// detectors, energy and entropy per window, `energy_regime` events, energy signatures.
    public var diffusion = DiffusionSettings()

    public init() {}
}
