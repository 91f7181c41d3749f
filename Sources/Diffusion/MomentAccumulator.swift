/// Running mean and scatter matrix of n-dimensional vectors, in `Double`: what an `EnergyModel`
/// is fitted from.
///
/// Frames are added one by one with Welford's update (mean += δ/w; scatter += δ·(x − mean')ᵀ, upper
/// triangle), which needs no shift and does not cancel however large the amplitude level is.
/// Accumulators merge with Chan et al.'s pairwise formula (scatter = Sa + Sb + δδᵀ·wa·wb/w), so a
/// window's statistics can be kept apart and folded into the long-term ones only when the window
/// turns out to be an empty room; `decay` scales weight and scatter alike (exponential forgetting).
/// Storage is allocated at init; nothing per frame.
public struct MomentAccumulator: Sendable {
    public let dimension: Int
    /// Sum of weights (frames, after forgetting).
    public private(set) var weight: Double = 0
    public private(set) var mean: [Double]
    /// Upper triangle (i ≤ j) of Σ w (x − mean)(x − mean)ᵀ, row-major n×n; the lower triangle is unused.
    public private(set) var scatter: [Double]
    /// x − old mean, then x − new mean, of the frame being added.
    private var scratch: [Double]

    public init(dimension: Int) {
        self.dimension = max(0, dimension)
        mean = [Double](repeating: 0, count: self.dimension)
        scatter = [Double](repeating: 0, count: self.dimension * self.dimension)
        scratch = [Double](repeating: 0, count: 2 * self.dimension)
    }

    public mutating func reset() {
        weight = 0
        for i in mean.indices { mean[i] = 0 }
        for i in scatter.indices { scatter[i] = 0 }
    }

    /// Adds one vector: the first `dimension` values of `x`.
    /// - Precondition: `x.count >= dimension`.
    public mutating func add(_ x: UnsafeBufferPointer<Float>) {
        let n = dimension
        precondition(x.count >= n, "MomentAccumulator.add: \(x.count) values for dimension \(n)")
        weight += 1
        let w = weight
        mean.withUnsafeMutableBufferPointer { m in
            scatter.withUnsafeMutableBufferPointer { s in
                scratch.withUnsafeMutableBufferPointer { tmp in
                    // before: x − old mean; after: x − new mean.
                    for i in 0..<n {
                        let delta = Double(x[i]) - m[i]
                        tmp[i] = delta
                        m[i] += delta / w
                        tmp[n + i] = Double(x[i]) - m[i]
                    }
                    for i in 0..<n {
                        let di = tmp[i]
                        let row = i * n
                        for j in i..<n { s[row + j] += di * tmp[n + j] }
                    }
                }
            }
        }
    }

    /// Replaces the contents with a window's statistics: `weight` frames with this mean and
    /// population covariance (row-major n×n, both triangles), e.g. from `WindowCovariance`.
    public mutating func load(weight: Double, mean values: UnsafeBufferPointer<Float>, covariance: UnsafeBufferPointer<Float>) {
        let n = dimension
        precondition(values.count >= n && covariance.count >= n * n, "MomentAccumulator.load: buffers smaller than dimension \(n)")
        self.weight = weight
        for i in 0..<n { mean[i] = Double(values[i]) }
        for i in 0..<n {
            for j in i..<n { scatter[i * n + j] = Double(covariance[i * n + j]) * weight }
        }
    }

    /// Folds `other` (same dimension) into this accumulator.
    public mutating func merge(_ other: MomentAccumulator) {
        precondition(other.dimension == dimension, "MomentAccumulator.merge: dimension \(other.dimension) into \(dimension)")
        guard other.weight > 0 else { return }
        guard weight > 0 else {
            self = other
            return
        }
        let n = dimension
        let wa = weight, wb = other.weight, w = wa + wb
        let factor = wa * wb / w
        var delta = [Double](repeating: 0, count: n)
        for i in 0..<n { delta[i] = other.mean[i] - mean[i] }
        for i in 0..<n {
            for j in i..<n { scatter[i * n + j] += other.scatter[i * n + j] + delta[i] * delta[j] * factor }
        }
        for i in 0..<n { mean[i] += delta[i] * wb / w }
        weight = w
    }

    /// Multiplies weight and scatter by `factor` in (0, 1]: older frames count less.
    public mutating func decay(by factor: Double) {
        guard factor > 0, factor < 1 else { return }
        weight *= factor
        for i in scatter.indices { scatter[i] *= factor }
    }

    /// The population covariance, both triangles, row-major n×n (zeros when weight is 0).
    public func covariance() -> [Double] {
        let n = dimension
        var c = [Double](repeating: 0, count: n * n)
        guard weight > 0 else { return c }
        for i in 0..<n {
            for j in i..<n {
                let value = scatter[i * n + j] / weight
                c[i * n + j] = value
                c[j * n + i] = value
            }
        }
        return c
    }
}
