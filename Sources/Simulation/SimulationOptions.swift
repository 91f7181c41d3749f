import GatewayCore

/// Receiver impairments and radio settings of the simulator; the defaults model a typical ESP32
/// a few metres from its access point on 2.4 GHz channel 6, HT20, with no AGC steps and no
/// packet loss (the simulator's original output, unchanged bit for bit).
public struct SimulationOptions: Sendable, Equatable {
    /// Signal-to-noise ratio, dB: the empty room's mean |H| over the RMS magnitude of the additive
    /// complex Gaussian noise. nil: no noise.
    public var snrDB: Double?
    /// Rotate every frame by a random common phase, as the ESP32's unsynchronised oscillators do
    /// (amplitudes are unaffected).
    public var randomCommonPhase: Bool
    /// Frame timing jitter, uniform within ± this fraction of the period (at most 0.45).
    public var timingJitter: Double
    /// 2.4 or 5 GHz (see `FrameFormat` for the channels).
    public var band: RadioBand
    /// 20 MHz (ESP32 LLTF), 40 MHz (ESP32 HT40) or 80 MHz (Nexmon VHT80, 5 GHz only).
    public var bandwidth: Bandwidth
    /// Side of the secondary channel for 40 MHz.
    public var secondaryChannel: SecondaryChannel
    /// Receiver gain steps per minute (Poisson), as an ESP32 whose AGC is not locked makes; 0: the
    /// gain stays at its nominal value. See `GainSteps`.
    public var agcStepsPerMinute: Double
    /// Long-run fraction of frames lost (0 ..< 0.95), in bursts: see `LossChannel`.
    public var lossFraction: Double
    /// Mean number of frames in a burst of losses (at least 1).
    public var lossBurstLength: Double

    public init(
        snrDB: Double? = 25, randomCommonPhase: Bool = true, timingJitter: Double = 0.05,
        band: RadioBand = .ghz2_4, bandwidth: Bandwidth = .mhz20, secondaryChannel: SecondaryChannel = .above,
        agcStepsPerMinute: Double = 0, lossFraction: Double = 0, lossBurstLength: Double = 3
    ) {
        self.snrDB = snrDB
        self.randomCommonPhase = randomCommonPhase
        self.timingJitter = min(max(timingJitter, 0), 0.45)
        self.band = band
        self.bandwidth = bandwidth
        self.secondaryChannel = secondaryChannel
        self.agcStepsPerMinute = agcStepsPerMinute
        self.lossFraction = lossFraction
        self.lossBurstLength = lossBurstLength
    }

    /// The bare channel model, quantised: no noise and no phase rotation (timing jitter kept).
    public static let noiseless = SimulationOptions(snrDB: nil, randomCommonPhase: false)

    /// The frame format these options give, or why they are invalid: an unsupported band and
    /// bandwidth pair, a loss fraction outside 0 ..< 0.95, a burst length below 1, or a gain step
    /// rate outside 0 ... 600 per minute.
    public func frameFormat() throws(GatewayError) -> FrameFormat {
        guard lossFraction.isFinite, lossFraction >= 0, lossFraction < 0.95 else {
            throw GatewayError(.invalidConfig, "packet loss fraction \(lossFraction) is out of range; give 0 (none) up to 0.95, e.g. 0.05 for 5 %")
        }
        guard lossBurstLength.isFinite, lossBurstLength >= 1 else {
            throw GatewayError(.invalidConfig, "mean loss burst length \(lossBurstLength) must be at least 1 frame")
        }
        guard agcStepsPerMinute.isFinite, agcStepsPerMinute >= 0, agcStepsPerMinute <= 600 else {
            throw GatewayError(.invalidConfig, "AGC gain steps per minute \(agcStepsPerMinute) is out of range; give 0 (gain locked) up to 600")
        }
        return try FrameFormat(band: band, bandwidth: bandwidth, secondary: secondaryChannel)
    }
}
