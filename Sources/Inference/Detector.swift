import Diffusion
import GatewayCore

/// One analysis window of one device, as detectors see it.
public struct AnalysisWindow: Sendable {
    public var features: WindowFeatures
    /// Mean amplitude per selected subcarrier over the window (each frame divided by its own
    /// mean level first, so receiver gain steps do not change it).
    public var profile: [Float]
    /// The motion score of gain-compensated frames (each divided by its mean level): blind to
    /// AGC steps, and to changes that scale every subcarrier alike. `features.motionScore` is
    /// the score of the raw amplitudes until a calibration picks one (see `Calibration.gainCompensated`).
    public var compensatedMotionScore: Double
    /// Frames whose level differed from the previous frame's by more than `DeviceAnalyzer.gainStepRatio`
    /// with the shape kept (`DeviceAnalyzer.gainStepShapeLimit`),
    /// the mark of a receiver whose automatic gain control is switching.
    public var gainSteps: Int
    /// Mean amplitude per selected subcarrier, as received (level changes kept); empty when the
    /// window was not scored.
    public var levelProfile: [Float]
    /// The spectrum of the frames up to the window's end, by path speed (nil: too few frames).
    public var doppler: DopplerBands?
    /// Amplitudes the Hampel filter replaced in this window (0 with the filter off).
    public var outliers: Int
    /// Modelled amplitudes that were missing in this window's frames (invalid, saturated,
    /// dropped) and were filled by the diffusion engine (handed to the detectors only with
    /// `diffusion.impute`).
    public var repaired = 0
    /// Energy and entropy of the window under the device's energy model (nil before it has one).
    public var energy: EnergyState?
    /// The window's mean amplitude: what the level cue of presence and the calibration's level
    /// reference compare. Gain steps are not undone here: a body-made fade that happens to keep
    /// the shape would be taken for one and leave the level cue off for good.
    public var level: Double { features.meanAmplitude }

    public init(features: WindowFeatures, profile: [Float], compensatedMotionScore: Double = 0, gainSteps: Int = 0,
                levelProfile: [Float] = [], doppler: DopplerBands? = nil, outliers: Int = 0) {
        self.features = features
        self.profile = profile
        self.compensatedMotionScore = compensatedMotionScore
        self.gainSteps = gainSteps
        self.levelProfile = levelProfile
        self.doppler = doppler
        self.outliers = outliers
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
