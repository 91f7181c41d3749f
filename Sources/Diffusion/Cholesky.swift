import Foundation

/// Cholesky factorisation of small symmetric positive definite matrices (k×k, Double): the
/// capacitance matrix of `EnergyModel` and a window's latent covariance in `EnergyTracker`.
enum Cholesky {
    /// Lower-triangular L with A = LLᵀ (row-major), or nil when A is not positive definite.
    static func factor(_ a: [Double], size k: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            for j in 0...i {
                var total = a[i * k + j]
                for p in 0..<j { total -= l[i * k + p] * l[j * k + p] }
                if i == j {
                    guard total > 0, total.isFinite else { return nil }
                    l[i * k + i] = total.squareRoot()
                } else {
                    l[i * k + j] = total / l[j * k + j]
                }
            }
        }
        return l
    }

    /// ln det A from its factor: 2 Σ ln Lᵢᵢ.
    static func logDeterminant(factor l: [Double], size k: Int) -> Double {
        var total = 0.0
        for i in 0..<k { total += log(l[i * k + i]) }
        return 2 * total
    }

    /// A⁻¹ (row-major) and ln det A, or nil when A is not positive definite. k = 0 gives ([], 0).
    static func inverse(_ a: [Double], size k: Int) -> (inverse: [Double], logDeterminant: Double)? {
        guard k > 0 else { return ([], 0) }
        guard let l = factor(a, size: k) else { return nil }
        var inverse = [Double](repeating: 0, count: k * k)
        var column = [Double](repeating: 0, count: k)
        for c in 0..<k {
            // Solve L y = e_c, then Lᵀ x = y.
            for i in 0..<k {
                var total = i == c ? 1.0 : 0.0
                for p in 0..<i { total -= l[i * k + p] * column[p] }
                column[i] = total / l[i * k + i]
            }
            for i in stride(from: k - 1, through: 0, by: -1) {
                var total = column[i]
                for p in (i + 1)..<max(i + 1, k) { total -= l[p * k + i] * column[p] }
                column[i] = total / l[i * k + i]
            }
            for i in 0..<k { inverse[i * k + c] = column[i] }
        }
        return (inverse, logDeterminant(factor: l, size: k))
    }
}
