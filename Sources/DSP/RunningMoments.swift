/// Exponentially weighted per-subcarrier mean and variance (West's incremental form):
/// `d = x − m; m += α·d; v = (1 − α)·(v + α·d²)`.
///
/// The first update sets the mean to the sample and the variance to 0, so there is no start-up
/// transient from zero. `update` runs 16 lanes at a time and allocates nothing.
public struct RunningMoments: Sendable {
    @usableFromInline var meanStorage: [Float]
    @usableFromInline var varianceStorage: [Float]
    @usableFromInline var updates: Int
    /// Weight of the newest sample, in (0, 1].
    public let alpha: Float

    /// - Precondition: `0 < alpha <= 1`.
    public init(subcarriers: Int, alpha: Float) {
        precondition(alpha > 0 && alpha <= 1, "RunningMoments: alpha must be in (0, 1], got \(alpha)")
        meanStorage = [Float](repeating: 0, count: max(0, subcarriers))
        varianceStorage = [Float](repeating: 0, count: max(0, subcarriers))
        updates = 0
        self.alpha = alpha
    }

    /// Updates since creation or the last reset.
    public var count: Int { updates }

    public var subcarriers: Int { meanStorage.count }

    /// Current per-subcarrier means and variances.
    public var means: [Float] { meanStorage }
    public var variances: [Float] { varianceStorage }

    /// Forgets all samples (the next update primes the state again).
    public mutating func reset() {
        for i in 0..<meanStorage.count {
            meanStorage[i] = 0
            varianceStorage[i] = 0
        }
        updates = 0
    }

    /// Folds in one frame: the first `subcarriers` values of `x`.
    /// - Precondition: `x.count >= subcarriers`.
    @inlinable
    public mutating func update(_ x: UnsafeBufferPointer<Float>) {
        let n = meanStorage.count
        precondition(x.count >= n, "RunningMoments.update: \(x.count) values for \(n) subcarriers")
        guard n > 0, let source = x.baseAddress else {
            updates &+= 1
            return
        }
        if updates == 0 {
            meanStorage.withUnsafeMutableBufferPointer { m in
                for i in 0..<n { m[i] = source[i] }
            }
            varianceStorage.withUnsafeMutableBufferPointer { v in
                for i in 0..<n { v[i] = 0 }
            }
            updates = 1
            return
        }
        let a = alpha
        let keep = 1 - a
        meanStorage.withUnsafeMutableBufferPointer { meanBuffer in
            varianceStorage.withUnsafeMutableBufferPointer { varianceBuffer in
                guard let meanBase = meanBuffer.baseAddress, let varianceBase = varianceBuffer.baseAddress else { return }
                let input = UnsafeRawPointer(source)
                let meanRaw = UnsafeMutableRawPointer(meanBase)
                let varianceRaw = UnsafeMutableRawPointer(varianceBase)
                let va = SIMD16<Float>(repeating: a)
                let vkeep = SIMD16<Float>(repeating: keep)
                var i = 0
                while i &+ 16 <= n {
                    let offset = i &* 4
                    let xv = input.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                    let m = meanRaw.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                    let v = varianceRaw.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                    let d = xv - m
                    meanRaw.storeBytes(of: m + va * d, toByteOffset: offset, as: SIMD16<Float>.self)
                    varianceRaw.storeBytes(of: vkeep * (v + va * d * d), toByteOffset: offset, as: SIMD16<Float>.self)
                    i &+= 16
                }
                while i < n {
                    let d = source[i] - meanBase[i]
                    meanBase[i] = meanBase[i] + a * d
                    varianceBase[i] = keep * (varianceBase[i] + a * d * d)
                    i &+= 1
                }
            }
        }
        updates &+= 1
    }

    /// Means into the first `min(dst.count, subcarriers)` elements.
    public func mean(into dst: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<min(dst.count, meanStorage.count) { dst[i] = meanStorage[i] }
    }

    /// Variances into the first `min(dst.count, subcarriers)` elements.
    public func variance(into dst: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<min(dst.count, varianceStorage.count) { dst[i] = varianceStorage[i] }
    }
}
