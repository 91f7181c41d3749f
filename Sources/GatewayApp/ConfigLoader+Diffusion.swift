import Diffusion
import GatewayCore
import Inference

extension ConfigLoader {
    /// The `diffusion` section: the energy diffusion engine's switches and tunables
    /// (`DiffusionSettings`, `LangevinSettings`), stored in `config.detector.diffusion` because the
    /// pipeline (and `gateway eval --config`) takes them with the detector settings.
    static func readDiffusion(_ r: inout SectionReader, into d: inout DiffusionSettings, source: String) throws {
        d.enabled = try r.bool("enabled", default: d.enabled)
        d.impute = try r.bool("impute", default: d.impute)
        var langevin = d.langevin
        langevin.steps = try r.int("langevin_steps", default: langevin.steps, in: LangevinSettings.stepRange)
        let schedule = try r.string("schedule", default: langevin.schedule.rawValue, pattern: "^(linear|cosine)$",
                                    hint: "use linear or cosine")
        langevin.schedule = NoiseSchedule(rawValue: schedule) ?? .cosine
        langevin.stepSize = Float(try r.double("step_size", default: Double(langevin.stepSize), in: 0.01...1.9))
        langevin.temperature = Float(try r.double("temperature", default: Double(langevin.temperature), in: 0...10))
        langevin.smoothing = Float(try r.double("smoothing", default: Double(langevin.smoothing), in: 0...1000))
        d.langevin = langevin
        d.maxRank = try r.int("max_rank", default: d.maxRank, in: 1...32)
        d.signatureSeconds = try r.double("signature_seconds", default: d.signatureSeconds, in: 0...86_400)
        d.memorySeconds = try r.double("memory_seconds", default: d.memorySeconds, in: 1...10_000_000)
        d.refreshSeconds = try r.double("refresh_seconds", default: d.refreshSeconds, in: 1...86_400)
        d.regimeEvents = try r.bool("regime_events", default: d.regimeEvents)
        d.regimeRateThreshold = try r.double("regime_rate_threshold", default: d.regimeRateThreshold, in: 0.01...100_000)
        d.regimeMinChange = try r.double("regime_min_change", default: d.regimeMinChange, in: 0...1000)
        if d.signatureSeconds > 0, d.signatureSeconds < 1 {
            throw GatewayError(.invalidConfig, "\(source): diffusion.signature_seconds (\(d.signatureSeconds)) must be 0 (no signatures) or at least 1; each signature is a log entry per device")
        }
        if d.impute, !d.enabled {
            throw GatewayError(.invalidConfig, "\(source): diffusion.impute is true but diffusion.enabled is false; imputation needs the energy model: set diffusion.enabled: true (or impute: false)")
        }
    }
}
