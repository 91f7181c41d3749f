import DSP
@testable import Diffusion
import Foundation
import TestPeers
import Testing

@Suite("EnergyModel")
struct EnergyModelTests {
    /// A model with random parameters of the given size (not fitted: exercises every code path).
    static func randomModel(n: Int, k: Int, seed: UInt64) throws -> EnergyModel {
        var random = SplitMix(seed: seed)
        var basis: [Float] = []
        var rows: [[Float]] = []
        for _ in 0..<k {
            var v = (0..<n).map { _ in Float.random(in: -1...1, using: &random) }
            for u in rows {
                let d = zip(u, v).map(*).reduce(0, +)
                for i in 0..<n { v[i] -= d * u[i] }
            }
            let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            rows.append(v.map { $0 / norm })
            basis += rows.last ?? []
        }
        return try EnergyModel(
            mean: (0..<n).map { _ in Float.random(in: 20...80, using: &random) }, basis: basis,
            latentVariance: (0..<k).map { _ in Float.random(in: 5...100, using: &random) },
            residualVariance: (0..<n).map { _ in Float.random(in: 0.05...2, using: &random) })
    }

    /// Σ (dense, Double) of a model.
    static func dense(_ model: EnergyModel) -> [Double] {
        let n = model.dimension, k = model.rank
        var sigma = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var total = i == j ? Double(model.residualVariance[i]) : 0
                for l in 0..<k { total += Double(model.latentVariance[l]) * Double(model.basis[l * n + i]) * Double(model.basis[l * n + j]) }
                sigma[i * n + j] = total
            }
        }
        return sigma
    }

    @Test("SIMD gradient agrees with the scalar reference and with a dense solve of Σg = x − μ",
          arguments: [(1, 0), (5, 2), (16, 3), (17, 4), (52, 8), (64, 4), (100, 6), (224, 8)])
    func gradient(n: Int, k: Int) throws {
        let model = try Self.randomModel(n: n, k: k, seed: UInt64(n * 31 + k))
        var random = SplitMix(seed: 5)
        let x = model.mean.map { $0 + Float.random(in: -10...10, using: &random) }
        var simd = [Float](repeating: 0, count: n)
        var latent = [Float](repeating: 0, count: 2 * max(1, k))
        let energy = x.withUnsafeBufferPointer { xs in
            simd.withUnsafeMutableBufferPointer { g in latent.withUnsafeMutableBufferPointer { model.gradient(at: xs, into: g, latent: $0) } }
        }
        var reference = [Float](repeating: 0, count: n)
        let referenceEnergy = ScalarReference.energyGradient(model, at: x, into: &reference)
        // Dense: solve Σ g = r by Cholesky, in Double.
        let sigma = Self.dense(model)
        let factor = try #require(Cholesky.factor(sigma, size: n))
        var solution = (0..<n).map { Double(x[$0]) - Double(model.mean[$0]) }
        for i in 0..<n {
            for p in 0..<i { solution[i] -= factor[i * n + p] * solution[p] }
            solution[i] /= factor[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for p in (i + 1)..<max(i + 1, n) { solution[i] -= factor[p * n + i] * solution[p] }
            solution[i] /= factor[i * n + i]
        }
        let scale = solution.map { abs($0) }.max() ?? 1
        for i in 0..<n {
            #expect(abs(Double(simd[i]) - Double(reference[i])) <= 1e-4 * scale, "SIMD vs scalar at \(i)")
            #expect(abs(Double(reference[i]) - solution[i]) <= 1e-4 * scale, "Woodbury vs dense at \(i)")
        }
        var denseEnergy = 0.0
        for i in 0..<n { denseEnergy += 0.5 * (Double(x[i]) - Double(model.mean[i])) * solution[i] }
        #expect(abs(Double(energy) - referenceEnergy) <= 1e-4 * max(1, referenceEnergy))
        #expect(abs(referenceEnergy - denseEnergy) <= 1e-4 * max(1, denseEnergy))
        // log det Σ by the determinant lemma against the dense factor.
        #expect(abs(model.logDeterminant - Cholesky.logDeterminant(factor: factor, size: n)) <= 1e-6 * max(1, abs(model.logDeterminant)) + 1e-3)
    }

    @Test("SIMD latent projection agrees with the scalar reference", arguments: [3, 16, 33, 64])
    func projection(n: Int) throws {
        let model = try Self.randomModel(n: n, k: min(4, n - 1), seed: 77)
        var random = SplitMix(seed: 9)
        let x = model.mean.map { $0 + Float.random(in: -5...5, using: &random) }
        var z = [Float](repeating: 0, count: model.rank)
        var scratch = [Float](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            z.withUnsafeMutableBufferPointer { zs in scratch.withUnsafeMutableBufferPointer { model.project(xs, into: zs, scratch: $0) } }
        }
        let reference = ScalarReference.latentProjection(model, of: x)
        for j in 0..<model.rank { #expect(abs(Double(z[j]) - reference[j]) <= 1e-4 * max(1, abs(reference[j]))) }
    }

    @Test("fitting recovers the generating rank, subspace and variances")
    func fit() throws {
        var data = SyntheticCSI()
        let model = try data.fittedModel(frames: 4000)
        #expect(model.rank == data.latent.count, "rank \(model.rank), latent \(model.latentVariance)")
        for (j, truth) in data.latent.enumerated() {
            #expect(abs(model.latentVariance[j] - truth) <= 0.15 * truth, "λ\(j) = \(model.latentVariance[j]) vs \(truth)")
            // Principal angle: |<u_j, û_j>| close to 1.
            let n = data.dimension
            var dot: Float = 0
            for i in 0..<n { dot += data.directions[j][i] * model.basis[j * n + i] }
            #expect(abs(dot) > 0.98, "direction \(j): |cos| = \(abs(dot))")
        }
        #expect(abs(model.meanResidualVariance - data.residual) <= 0.5 * data.residual)
    }

    @Test("a model survives a JSON round trip (Woodbury terms recomputed)")
    func codable() throws {
        let model = try Self.randomModel(n: 20, k: 3, seed: 4)
        let decoded = try JSONDecoder().decode(EnergyModel.self, from: JSONEncoder().encode(model))
        #expect(decoded == model)
        #expect(decoded.logDeterminant == model.logDeterminant)
    }

    @Test("bad parameters and too little data are errors that say what to do")
    func errors() {
        #expect(throws: DiffusionError.self) { try EnergyModel(mean: [1, 2], basis: [1], latentVariance: [1], residualVariance: [1, 1]) }
        #expect(throws: DiffusionError.self) { try EnergyModel(mean: [1], basis: [], latentVariance: [], residualVariance: [0]) }
        do throws(DiffusionError) {
            _ = try EnergyModel(moments: MomentAccumulator(dimension: 4))
            Issue.record("fitting no data should fail")
        } catch {
            #expect(error.code == .notEnoughData)
            #expect(error.message.contains("calibrate"))
        }
    }

    @Test("moments loaded from DSP's WindowCovariance equal Welford's")
    func loadFromWindowCovariance() throws {
        var random = SplitMix(seed: 8)
        let n = 20
        var welford = MomentAccumulator(dimension: n), loaded = MomentAccumulator(dimension: n)
        var window = try WindowCovariance(channels: n)
        for _ in 0..<25 {
            let x = (0..<n).map { _ in Float.random(in: 30...60, using: &random) }
            x.withUnsafeBufferPointer { welford.add($0); window.add($0) }
        }
        var mean = [Float](repeating: 0, count: n), covariance = [Float](repeating: 0, count: n * n)
        mean.withUnsafeMutableBufferPointer { window.mean(into: $0) }
        covariance.withUnsafeMutableBufferPointer { window.covariance(into: $0) }
        mean.withUnsafeBufferPointer { m in covariance.withUnsafeBufferPointer { loaded.load(weight: Double(window.count), mean: m, covariance: $0) } }
        #expect(loaded.weight == welford.weight)
        let a = welford.covariance(), b = loaded.covariance()
        for i in 0..<(n * n) { #expect(abs(a[i] - b[i]) <= 1e-3 * max(1, abs(a[i]))) }
        for i in 0..<n { #expect(abs(welford.mean[i] - loaded.mean[i]) <= 1e-4 * welford.mean[i]) }
    }

    @Test("moments: Welford accumulation and Chan merge agree with a two-pass covariance")
    func moments() {
        var random = SplitMix(seed: 3)
        let n = 5
        let frames = (0..<300).map { _ in (0..<n).map { _ in Float.random(in: 100...110, using: &random) } }
        var whole = MomentAccumulator(dimension: n), first = MomentAccumulator(dimension: n), second = MomentAccumulator(dimension: n)
        for (f, x) in frames.enumerated() {
            x.withUnsafeBufferPointer { whole.add($0) }
            x.withUnsafeBufferPointer { f < 120 ? first.add($0) : second.add($0) }
        }
        first.merge(second)
        var means = [Double](repeating: 0, count: n)
        for x in frames { for i in 0..<n { means[i] += Double(x[i]) / Double(frames.count) } }
        let a = whole.covariance(), b = first.covariance()
        for i in 0..<n {
            for j in 0..<n {
                var c = 0.0
                for x in frames { c += (Double(x[i]) - means[i]) * (Double(x[j]) - means[j]) }
                c /= Double(frames.count)
                #expect(abs(a[i * n + j] - c) <= 1e-9 * 100)
                #expect(abs(b[i * n + j] - c) <= 1e-9 * 100)
            }
        }
    }
}
