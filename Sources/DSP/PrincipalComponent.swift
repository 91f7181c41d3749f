/// The dominant eigenvalue of a small symmetric positive semi-definite matrix (a window's S×S
/// covariance or correlation), by power iteration.
///
/// `share` is the fraction of the matrix's trace (its total variance) along the first principal
/// component: 1 when every channel moves in lockstep, about 1/S plus a sampling excess (up to
/// (1 + √(S/n))²/S for n frames of independent noise) when they move independently. A body
/// moving near the link changes many subcarriers together; receiver noise does not.
public enum PrincipalComponent {
    /// Largest eigenvalue of the `size`×`size` row-major symmetric PSD `matrix`: power iteration
    /// from the all-ones direction (plus a small ramp, so a principal axis orthogonal to it is
    /// still reached) until the Rayleigh quotient changes by less than `tolerance` relative, or
    /// `maxIterations`. 0 for an empty or all-zero matrix.
    public static func largestEigenvalue(
        _ matrix: UnsafeBufferPointer<Float>, size: Int, maxIterations: Int = 100, tolerance: Double = 1e-6
    ) -> Double {
        let n = size
        guard n > 0, matrix.count >= n * n else { return 0 }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { scratch -> Double in
            var v = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
            var w = UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 * n)])
            for i in 0..<n { v[i] = 1 + 0.01 * Double(i) / Double(n) }
            normalise(v)
            var estimate = 0.0
            for _ in 0..<maxIterations {
                var rayleigh = 0.0
                for i in 0..<n {
                    var total = 0.0
                    for j in 0..<n { total += Double(matrix[i * n + j]) * v[j] }
                    w[i] = total
                    rayleigh += v[i] * total
                }
                guard normalise(w) > 0 else { return 0 }
                swap(&v, &w)
                let converged = abs(rayleigh - estimate) <= tolerance * abs(rayleigh)
                estimate = rayleigh
                if converged { break }
            }
            return max(0, estimate)
        }
    }

    /// Largest eigenvalue over the trace: the share of the total variance on the first principal
    /// component, in [0, 1] (0 when the trace is 0).
    public static func share(_ matrix: UnsafeBufferPointer<Float>, size: Int) -> Double {
        let n = size
        guard n > 0, matrix.count >= n * n else { return 0 }
        var trace = 0.0
        for i in 0..<n { trace += Double(matrix[i * n + i]) }
        guard trace > 0 else { return 0 }
        return min(1, largestEigenvalue(matrix, size: n) / trace)
    }

    /// Scales `v` to unit length; returns its length before (0 leaves it unchanged).
    @discardableResult
    private static func normalise(_ v: UnsafeMutableBufferPointer<Double>) -> Double {
        var squares = 0.0
        for x in v { squares += x * x }
        let length = squares.squareRoot()
        guard length > 0 else { return 0 }
        for i in v.indices { v[i] /= length }
        return length
    }
}
