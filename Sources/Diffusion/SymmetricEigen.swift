/// Eigenvalues and eigenvectors of a small real symmetric matrix by cyclic Jacobi rotations.
///
/// Each rotation zeroes one off-diagonal pair (p, q) of A' = JᵀAJ, with the angle chosen as in
/// Rutishauser's formulation (tan φ = sgn θ / (|θ| + √(θ² + 1)), θ = (a_qq − a_pp) / 2a_pq), so the
/// smaller of the two possible angles is taken and the iteration converges quadratically once the
/// off-diagonal mass is small. The rotations accumulate into V, whose columns are the eigenvectors.
/// Used for whole matrices up to a few dozen rows and for the k×k Rayleigh–Ritz step of
/// `SubspaceIteration`. Double throughout: fitting a model happens once per refresh, not per frame.
public enum SymmetricEigen {
    /// Eigenvalues in descending order and, row-major, one eigenvector (unit length) per row in the
    /// same order. Reads the upper triangle of the row-major `size`×`size` `matrix` (the lower one is
    /// taken to mirror it). Stops when the off-diagonal sum of squares falls below `tolerance` times
    /// the matrix's squared Frobenius norm, or after `maxSweeps` sweeps.
    public static func decompose(
        _ matrix: [Double], size n: Int, maxSweeps: Int = 60, tolerance: Double = 1e-24
    ) -> (values: [Double], vectors: [Double]) {
        guard n > 0, matrix.count >= n * n else { return ([], []) }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                a[i * n + j] = matrix[i * n + j]
                a[j * n + i] = matrix[i * n + j]
            }
        }
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        var norm = 0.0
        for x in a { norm += x * x }
        for _ in 0..<maxSweeps {
            var off = 0.0
            for i in 0..<n {
                for j in (i + 1)..<max(i + 1, n) { off += 2 * a[i * n + j] * a[i * n + j] }
            }
            if off <= tolerance * norm || off == 0 { break }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n {
                    let apq = a[p * n + q]
                    if apq == 0 { continue }
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] }
        var values = [Double](repeating: 0, count: n)
        var vectors = [Double](repeating: 0, count: n * n)
        for (row, column) in order.enumerated() {
            values[row] = a[column * n + column]
            for k in 0..<n { vectors[row * n + k] = v[k * n + column] }
        }
        return (values, vectors)
    }
}
