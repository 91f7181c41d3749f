/// How the reverse process runs: steps, schedule, step size and noise.
///
/// Step l (0-based) of `steps` uses the model's energy smoothed by N(0, s_l·I) with
/// s_l = `smoothing` · mean residual variance · level_l and temperature T_l = `temperature` · level_l,
/// where level_l runs from 1 down to 0 by `schedule` (`NoiseSchedule.reverseLevels`); the last step
/// is the plain energy at T = 0.
public struct LangevinSettings: Sendable, Equatable {
    /// Langevin steps per vector.
    public var steps: Int = 10
    public var schedule: NoiseSchedule = .cosine
    /// η in units of the per-dimension preconditioner (the inverse of the energy's curvature
    /// bound): steps up to 1 decrease a quadratic energy monotonically at T = 0.
    public var stepSize: Float = 1
    /// T at the first step (1 samples the model's own distribution; 0 is gradient descent).
    public var temperature: Float = 0.05
    /// Smoothing variance of the first step, in units of the model's mean residual variance.
    public var smoothing: Float = 1

    public init() {}

    public init(steps: Int, schedule: NoiseSchedule = .cosine, stepSize: Float = 1, temperature: Float = 0.05, smoothing: Float = 1) {
        self.steps = steps
        self.schedule = schedule
        self.stepSize = stepSize
        self.temperature = temperature
        self.smoothing = smoothing
    }

    /// Supported step counts.
    public static let stepRange: ClosedRange<Int> = 1...1000

    /// Why these settings cannot run, or nil.
    public var problem: String? {
        if !Self.stepRange.contains(steps) { return "steps must be in \(Self.stepRange), got \(steps)" }
        if !(stepSize > 0 && stepSize <= 1.9) { return "step size must be in (0, 1.9] (stability needs < 2), got \(stepSize)" }
        if !(temperature >= 0 && temperature <= 10) { return "temperature must be in [0, 10], got \(temperature)" }
        if !(smoothing >= 0 && smoothing <= 1000) { return "smoothing must be in [0, 1000], got \(smoothing)" }
        return nil
    }
}
