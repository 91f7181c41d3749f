import DSP

/// Scalar references for the `EnergyModel` kernels: the same Woodbury algorithm in plain loops,
/// accumulating in `Double`. The tests compare the SIMD kernels with them (and them with a dense
/// solve of Σg = x − μ); the benchmark measures the kernels against them.
extension ScalarReference {
    /// ∇E(x) into `gradient`; returns E(x).
    public static func energyGradient(_ model: EnergyModel, at x: [Float], into gradient: inout [Float]) -> Double {
        let n = model.dimension, k = model.rank
        var a = [Double](repeating: 0, count: n)
        for i in 0..<n { a[i] = (Double(x[i]) - Double(model.mean[i])) / Double(model.residualVariance[i]) }
        var c = [Double](repeating: 0, count: k)
        for j in 0..<k {
            for i in 0..<n { c[j] += Double(model.basis[j * n + i]) * a[i] }
        }
        var e = [Double](repeating: 0, count: k)
        for j in 0..<k {
            for l in 0..<k { e[j] += Double(model.capacitance[j * k + l]) * c[l] }
        }
        var energy = 0.0
        for i in 0..<n {
            var s = 0.0
            for j in 0..<k { s += e[j] * Double(model.basis[j * n + i]) }
            let g = a[i] - s / Double(model.residualVariance[i])
            gradient[i] = Float(g)
            energy += (Double(x[i]) - Double(model.mean[i])) * g
        }
        return 0.5 * energy
    }

    /// z = Uᵀ(x − μ).
    public static func latentProjection(_ model: EnergyModel, of x: [Float]) -> [Double] {
        let n = model.dimension
        return (0..<model.rank).map { j in
            var total = 0.0
            for i in 0..<n { total += Double(model.basis[j * n + i]) * (Double(x[i]) - Double(model.mean[i])) }
            return total
        }
    }
}

extension ScalarReference {
    /// One noise-free denoising step in plain `Double` loops, the reference for
    /// `LangevinSampler.denoiseStep` at temperature 0 on the unsmoothed level: ∇U = Σ⁻¹(x − μ) +
    /// w(x − y); P = diag(p) + U diag(q) Uᵀ with pᵢ = 1/(1/dᵢ + w), qⱼ = max(0, 1/(uⱼᵀΣ⁻¹uⱼ + w) − Σᵢ uⱼᵢ²pᵢ);
    /// x −= η·P·∇U. Returns U(x) before the step.
    public static func denoiseStep(_ model: EnergyModel, x: inout [Float], observation y: [Float], noisePrecision w: Double,
                                   stepSize eta: Double) -> Double {
        let n = model.dimension, k = model.rank
        var gradient = [Float](repeating: 0, count: n)
        var energy = energyGradient(model, at: x, into: &gradient)
        var gp = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let d = Double(x[i]) - Double(y[i])
            energy += 0.5 * w * d * d
            gp[i] = Double(gradient[i]) + w * d
        }
        let p = (0..<n).map { 1 / (1 / Double(model.residualVariance[$0]) + w) }
        var move = (0..<n).map { eta * p[$0] * gp[$0] }
        for j in 0..<k {
            var direction = model.mean
            for i in 0..<n { direction[i] += model.basis[j * n + i] }
            var g = [Float](repeating: 0, count: n)
            _ = energyGradient(model, at: direction, into: &g)
            var curvature = 0.0, spread = 0.0, along = 0.0
            for i in 0..<n {
                let u = Double(model.basis[j * n + i])
                curvature += u * Double(g[i])
                spread += u * u * p[i]
                along += u * gp[i]
            }
            let q = max(0, 1 / (curvature + w) - spread)
            for i in 0..<n { move[i] += eta * q * along * Double(model.basis[j * n + i]) }
        }
        for i in 0..<n { x[i] = Float(Double(x[i]) - move[i]) }
        return energy
    }
}

extension ScalarReference {
    /// One noise-free imputation step in plain loops, the reference for `LangevinSampler.impute`
    /// (whose steps at T = 0 it must reproduce): x_m −= η·d_m·(Σ⁻¹(x − μ))_m. Returns E(x) before.
    public static func imputeStep(_ model: EnergyModel, x: inout [Float], missing: [Int], stepSize eta: Double) -> Double {
        var gradient = [Float](repeating: 0, count: model.dimension)
        let energy = energyGradient(model, at: x, into: &gradient)
        for i in missing { x[i] = Float(Double(x[i]) - eta * Double(model.residualVariance[i]) * Double(gradient[i])) }
        return energy
    }
}
