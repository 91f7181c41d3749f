import Foundation

/// Per-window energy and entropy of a stream of vectors under one `EnergyModel`
/// (`EnergyState`: E_state, dE/dt, S_state).
///
/// Per frame: one energy evaluation (the SIMD gradient kernel) and the k-dimensional projection
/// z = Uᵀ(x − μ), whose sum and upper-triangle products accumulate in `Double`. At window close the
/// latent covariance C_z is formed, ε·I added, its log-determinant taken by Cholesky, and
/// S = ½(k·ln(2πe) + ln det(C_z + εI)). O(nk + k²) per frame, nothing allocated per frame.
public struct EnergyTracker: Sendable {
    public let model: EnergyModel
    private var scratch: [Float]
    private var latent: [Float]
    private var sums: [Double]
    private var products: [Double]
    private var energySum = 0.0
    private var frames = 0
    private var previous: (energy: Double, time: Int64)?

    public init(model: EnergyModel) {
        self.model = model
        scratch = [Float](repeating: 0, count: model.dimension)
        latent = [Float](repeating: 0, count: 2 * max(1, model.rank))
        sums = [Double](repeating: 0, count: model.rank)
        products = [Double](repeating: 0, count: model.rank * model.rank)
    }

    /// Frames in the current window.
    public var count: Int { frames }

    /// Adds a complete vector (at least the model's dimension); returns its energy E(x).
    @discardableResult
    public mutating func add(_ x: UnsafeBufferPointer<Float>) -> Float {
        let k = model.rank
        let energy = scratch.withUnsafeMutableBufferPointer { s in
            latent.withUnsafeMutableBufferPointer { model.energy(at: x, scratch: s, latent: $0) }
        }
        scratch.withUnsafeMutableBufferPointer { s in
            latent.withUnsafeMutableBufferPointer { model.project(x, into: $0, scratch: s) }
        }
        for j in 0..<k {
            let zj = Double(latent[j])
            sums[j] += zj
            for l in j..<k { products[j * k + l] += zj * Double(latent[l]) }
        }
        energySum += Double(energy)
        frames += 1
        return energy
    }

    /// Closes the window [start, end): its state, or nil with fewer than 2 frames. Starts the next.
    public mutating func close(start: Int64, end: Int64) -> EnergyState? {
        defer {
            energySum = 0
            frames = 0
            for i in sums.indices { sums[i] = 0 }
            for i in products.indices { products[i] = 0 }
        }
        guard frames >= 2 else { return nil }
        let n = Double(model.dimension), k = model.rank, f = Double(frames)
        let energy = energySum / f / n
        var rate = 0.0
        if let previous, start > previous.time {
            rate = (energy - previous.energy) / (Double(start - previous.time) / 1_000_000)
        }
        previous = (energy, start)
        let epsilon = Double(model.meanResidualVariance)
        var covariance = [Double](repeating: 0, count: k * k)
        for j in 0..<k {
            for l in j..<k {
                let value = products[j * k + l] / f - sums[j] / f * sums[l] / f
                covariance[j * k + l] = value
                covariance[l * k + j] = value
            }
            covariance[j * k + j] = max(0, covariance[j * k + j]) + epsilon
        }
        var entropy = 0.5 * Double(k) * log(2 * Double.pi * M_E)
        if k > 0 {
            if let factor = Cholesky.factor(covariance, size: k) {
                entropy += 0.5 * Cholesky.logDeterminant(factor: factor, size: k)
            } else {
                entropy += 0.5 * Double(k) * log(epsilon)
            }
        }
        return EnergyState(start: start, end: end, frames: frames, energy: energy, energyRate: rate, entropy: entropy)
    }

    /// Forgets the previous window (after a gap or a model change): the next rate is 0.
    public mutating func resetRate() { previous = nil }
}
