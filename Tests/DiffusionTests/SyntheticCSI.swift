import Diffusion
import Foundation
import TestPeers

/// Amplitude vectors from a known low-rank Gaussian: a CSI-like mean profile (40 to 60 across the
/// subcarriers), `latent` variances along random orthonormal directions, and a small independent
/// residual. What the engine is tested against: the clean values are known exactly.
struct SyntheticCSI {
    let dimension: Int
    let mean: [Float]
    let directions: [[Float]]
    let latent: [Float]
    let residual: Float
    var random: SplitMix

    init(dimension n: Int = 64, latent: [Float] = [200, 80, 30, 10], residual: Float = 0.05, seed: UInt64 = 7) {
        dimension = n
        self.latent = latent
        self.residual = residual
        random = SplitMix(seed: seed)
        mean = (0..<n).map { Float(50 + 10 * sin(Double($0) / 6)) }
        var directions: [[Float]] = []
        for _ in latent.indices {
            var v = (0..<n).map { _ in Float(0) }
            for i in 0..<n { v[i] = SyntheticCSI.gaussian(&random) }
            for u in directions {
                let d = zip(u, v).map(*).reduce(0, +)
                for i in 0..<n { v[i] -= d * u[i] }
            }
            let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            directions.append(v.map { $0 / norm })
        }
        self.directions = directions
    }

    static func gaussian(_ random: inout SplitMix) -> Float {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &random)
        let u2 = Double.random(in: 0..<1, using: &random)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    mutating func gaussian() -> Float { Self.gaussian(&random) }

    /// One clean vector.
    mutating func sample() -> [Float] {
        var x = mean
        for (j, u) in directions.enumerated() {
            let z = latent[j].squareRoot() * gaussian()
            for i in 0..<dimension { x[i] += z * u[i] }
        }
        for i in 0..<dimension { x[i] += residual.squareRoot() * gaussian() }
        return x
    }

    /// A model fitted to `frames` clean vectors.
    mutating func fittedModel(frames: Int = 2000, maxRank: Int = 8) throws -> EnergyModel {
        var moments = MomentAccumulator(dimension: dimension)
        for _ in 0..<frames {
            let x = sample()
            x.withUnsafeBufferPointer { moments.add($0) }
        }
        return try EnergyModel(moments: moments, maxRank: maxRank)
    }
}

/// Root mean square of a list of values.
func rms(_ values: [Float]) -> Double {
    values.isEmpty ? 0 : (values.map { Double($0) * Double($0) }.reduce(0, +) / Double(values.count)).squareRoot()
}
