/// How the gateway uses the diffusion engine (config section `diffusion`).
public struct DiffusionSettings: Sendable, Equatable {
    /// Learn an energy model per device from its calibration and track energy and entropy per
    /// window: `energy_regime` events and energy signatures in the signed log.
    public var enabled = true
    /// Repair missing amplitudes (bins the firmware overwrote, the ESP32's invalid first word,
    /// saturated int8 values, dropped subcarriers) by Langevin imputation before the detectors.
    /// Off by default: `gateway eval` showed no gain (README, "Diffusion engine").
    public var impute = false
    /// The reverse process (steps, schedule, step size, temperature).
    public var langevin = LangevinSettings()
    /// Most principal directions an energy model keeps.
    public var maxRank = EnergyModel.defaultRank
    /// Seconds of a device's windows summed into one energy signature log entry; 0: none.
    public var signatureSeconds: Double = 60
    /// After calibration the model keeps learning from windows the detectors judged empty, with
    /// this memory (time constant, seconds), and is refitted every `refreshSeconds` of them.
    public var memorySeconds: Double = 600
    public var refreshSeconds: Double = 60
    /// Raise `energy_regime` events when the entropy settles at a new level (`EnergyRegimeDetector`).
    public var regimeEvents = true
    /// A regime transition starts when |dS/dt| exceeds this many nats per second.
    public var regimeRateThreshold: Double = 20
    /// ... and counts when the entropy settled at least this many nats from where it was.
    public var regimeMinChange: Double = 3

    public init() {}
}
