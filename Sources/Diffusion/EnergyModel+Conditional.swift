/// The closed-form σ → 0 limit of imputation: the conditional Gaussian mean
///
///     x_m* = μ_m − (Σ⁻¹)_mm⁻¹ (Σ⁻¹)_mo (x_o − μ_o),
///
/// with the precision blocks built from the Woodbury gradient (one gradient per missing
/// dimension) and the |m|×|m| system solved by Cholesky. O(|m|·nk + |m|³): the reference the
/// Langevin chain is measured against, and a fallback for callers that want no sampling.
extension EnergyModel {
    /// `x` with the dimensions in `missing` replaced by their conditional mean given the others.
    /// - Throws: `DiffusionError.dimensionMismatch` for a wrong length or index.
    public func conditionalMean(_ x: [Float], missing: [Int]) throws(DiffusionError) -> [Float] {
        let n = dimension
        guard x.count == n else { throw DiffusionError(.dimensionMismatch, "conditional mean of \(x.count) values; the model has \(n) dimensions") }
        guard let bad = missing.first(where: { $0 < 0 || $0 >= n }) else { return try solve(x, missing: missing) }
        throw DiffusionError(.dimensionMismatch, "missing index \(bad) is outside 0..<\(n)")
    }

    private func solve(_ x: [Float], missing: [Int]) throws(DiffusionError) -> [Float] {
        let n = dimension, m = missing.count
        guard m > 0 else { return x }
        var gradient = [Float](repeating: 0, count: n)
        var latent = [Float](repeating: 0, count: 2 * max(1, rank))
        // b = (Σ⁻¹ (x̂ − μ))_m with x̂_m = μ_m: the observed part's pull on the missing dimensions.
        var start = x
        for i in missing { start[i] = mean[i] }
        start.withUnsafeBufferPointer { xs in
            gradient.withUnsafeMutableBufferPointer { g in
                latent.withUnsafeMutableBufferPointer { _ = self.gradient(at: xs, into: g, latent: $0) }
            }
        }
        let b = missing.map { Double(gradient[$0]) }
        // (Σ⁻¹)_mm column by column: Σ⁻¹ e_i = gradient at μ + e_i.
        var block = [Double](repeating: 0, count: m * m)
        for (c, i) in missing.enumerated() {
            var unit = mean
            unit[i] += 1
            unit.withUnsafeBufferPointer { xs in
                gradient.withUnsafeMutableBufferPointer { g in
                    latent.withUnsafeMutableBufferPointer { _ = self.gradient(at: xs, into: g, latent: $0) }
                }
            }
            for (r, j) in missing.enumerated() { block[r * m + c] = Double(gradient[j]) }
        }
        for r in 0..<m {
            for c in (r + 1)..<max(r + 1, m) {
                let s = 0.5 * (block[r * m + c] + block[c * m + r])
                block[r * m + c] = s
                block[c * m + r] = s
            }
        }
        guard let inverse = Cholesky.inverse(block, size: m) else {
            throw DiffusionError(.invalidModel, "the precision of the \(m) missing dimensions is not positive definite; refit the energy model")
        }
        var result = x
        for (r, i) in missing.enumerated() {
            var total = 0.0
            for c in 0..<m { total += inverse.inverse[r * m + c] * b[c] }
            result[i] = mean[i] - Float(total)
        }
        return result
    }
}
