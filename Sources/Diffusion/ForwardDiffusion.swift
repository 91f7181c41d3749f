/// The forward (noising) process that makes training and validation pairs for the reverse one:
///
///     x_t = μ + √ᾱ(t)·(x₀ − μ) + √(1 − ᾱ(t))·σ·ε,     ε ~ N(0, I),
///
/// shrinking the clean vector towards the model's mean while adding white noise of scale σ (the
/// RMS of the model's per-dimension standard deviations, so t = 1 lands on the data's spread).
/// Undoing the shrink turns x_t into an observation of x₀ with white noise of variance
/// `observationVariance(t)`, which is what `LangevinSampler.denoise` takes.
public struct ForwardDiffusion: Sendable {
    public let schedule: NoiseSchedule
    public let mean: [Float]
    /// σ: √(mean of Σᵢᵢ).
    public let scale: Float

    public init(model: EnergyModel, schedule: NoiseSchedule) {
        self.schedule = schedule
        mean = model.mean
        let n = model.dimension
        var total: Float = 0
        for i in 0..<n {
            var v = model.residualVariance[i]
            for j in 0..<model.rank { v += model.latentVariance[j] * model.basis[j * n + i] * model.basis[j * n + i] }
            total += v
        }
        scale = (total / Float(max(1, n))).squareRoot()
    }

    /// x_t from x₀ and standard normal draws ε (all of the model's dimension).
    /// - Throws: `DiffusionError.dimensionMismatch` when a length differs from the model's.
    public func noised(_ x0: [Float], t: Double, standardNormal epsilon: [Float]) throws(DiffusionError) -> [Float] {
        guard x0.count == mean.count, epsilon.count == mean.count else {
            throw DiffusionError(.dimensionMismatch, "forward diffusion of \(x0.count) values with \(epsilon.count) noise draws; the model has \(mean.count) dimensions")
        }
        let a = Float(schedule.alphaBar(t))
        let keep = a.squareRoot(), spread = (1 - a).squareRoot() * scale
        return (0..<mean.count).map { i in mean[i] + keep * (x0[i] - mean[i]) + spread * epsilon[i] }
    }

    /// x₀'s observation from x_t: μ + (x_t − μ)/√ᾱ.
    public func observation(_ xt: [Float], t: Double) -> [Float] {
        let keep = Float(schedule.alphaBar(t)).squareRoot()
        return (0..<min(xt.count, mean.count)).map { i in mean[i] + (xt[i] - mean[i]) / max(keep, 1e-6) }
    }

    /// The white-noise variance of `observation(_:t:)`: (1 − ᾱ)/ᾱ · σ².
    public func observationVariance(t: Double) -> Float {
        let a = schedule.alphaBar(t)
        return Float((1 - a) / max(a, 1e-12)) * scale * scale
    }
}
