/// Receiver impairments of the simulator; the defaults model a typical ESP32 a few metres from
/// its access point.
public struct SimulationOptions: Sendable, Equatable {
    /// Signal-to-noise ratio, dB: the empty room's mean |H| over the RMS magnitude of the additive
    /// complex Gaussian noise. nil: no noise.
    public var snrDB: Double?
    /// Rotate every frame by a random common phase, as the ESP32's unsynchronised oscillators do
    /// (amplitudes are unaffected).
    public var randomCommonPhase: Bool
    /// Frame timing jitter, uniform within ± this fraction of the period (at most 0.45).
    public var timingJitter: Double

    public init(snrDB: Double? = 25, randomCommonPhase: Bool = true, timingJitter: Double = 0.05) {
        self.snrDB = snrDB
        self.randomCommonPhase = randomCommonPhase
        self.timingJitter = min(max(timingJitter, 0), 0.45)
    }

    /// The bare channel model, quantised: no noise and no phase rotation (timing jitter kept).
    public static let noiseless = SimulationOptions(snrDB: nil, randomCommonPhase: false)
}
