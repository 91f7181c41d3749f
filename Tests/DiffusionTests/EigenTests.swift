@testable import Diffusion
import TestPeers
import Testing

@Suite("Eigen-decomposition")
struct EigenTests {
    /// A random symmetric PSD matrix BᵀB (n×n) with a few dominant directions.
    static func matrix(_ n: Int, seed: UInt64) -> [Double] {
        var random = SplitMix(seed: seed)
        var b = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { b[i * n + j] = Double.random(in: -1...1, using: &random) * (j < 3 ? 6 : 1) } }
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for k in 0..<n { c[i * n + j] += b[k * n + i] * b[k * n + j] } } }
        return c
    }

    @Test("Jacobi: A v = λ v, orthonormal vectors, descending values, trace kept", arguments: [1, 2, 3, 8, 17, 40])
    func jacobi(n: Int) {
        let a = Self.matrix(n, seed: UInt64(n))
        let (values, vectors) = SymmetricEigen.decompose(a, size: n)
        var trace = 0.0
        for i in 0..<n { trace += a[i * n + i] }
        #expect(abs(values.reduce(0, +) - trace) <= 1e-9 * max(1, trace))
        for r in 1..<max(1, n) { #expect(values[r] <= values[r - 1] + 1e-12) }
        for r in 0..<n {
            for i in 0..<n {
                var av = 0.0
                for j in 0..<n { av += a[i * n + j] * vectors[r * n + j] }
                #expect(abs(av - values[r] * vectors[r * n + i]) <= 1e-8 * max(1, values[0]))
            }
            for s in 0..<n {
                var dot = 0.0
                for i in 0..<n { dot += vectors[r * n + i] * vectors[s * n + i] }
                #expect(abs(dot - (r == s ? 1 : 0)) <= 1e-9)
            }
        }
    }

    @Test("subspace iteration finds Jacobi's top eigenpairs", arguments: [30, 64, 100])
    func subspace(n: Int) {
        let a = Self.matrix(n, seed: 99 + UInt64(n))
        let full = SymmetricEigen.decompose(a, size: n)
        let top = SubspaceIteration.largest(a, size: n, count: 4)
        for r in 0..<3 {
            #expect(abs(top.values[r] - full.values[r]) <= 1e-6 * full.values[0], "eigenvalue \(r): \(top.values[r]) vs \(full.values[r])")
            var dot = 0.0
            for i in 0..<n { dot += top.vectors[r * n + i] * full.vectors[r * n + i] }
            #expect(abs(abs(dot) - 1) <= 1e-5, "eigenvector \(r): |cos| = \(abs(dot))")
        }
    }
}
