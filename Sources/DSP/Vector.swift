/// Reductions and in-place operations over contiguous `Float` buffers.
///
/// Each kernel runs 16 lanes at a time with `loadUnaligned`, keeps its accumulators as
/// `SIMD16<Float>` and reduces them once after the loop; a scalar loop finishes the tail.
/// Two-buffer kernels use the first `min(a.count, b.count)` elements. Empty input gives 0.
public enum Vector {
    /// Σ x.
    @inlinable
    public static func sum(_ x: UnsafeBufferPointer<Float>) -> Float {
        guard let base = x.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let n = x.count
        var acc = SIMD16<Float>()
        var i = 0
        while i &+ 16 <= n {
            acc += raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            i &+= 16
        }
        var tail: Float = 0
        while i < n {
            tail += base[i]
            i &+= 1
        }
        return acc.sum() + tail
    }

    /// Arithmetic mean; 0 for an empty buffer.
    @inlinable
    public static func mean(_ x: UnsafeBufferPointer<Float>) -> Float {
        x.isEmpty ? 0 : sum(x) / Float(x.count)
    }

    /// Σ a·b.
    @inlinable
    public static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        guard let baseA = a.baseAddress, let baseB = b.baseAddress else { return 0 }
        let rawA = UnsafeRawPointer(baseA)
        let rawB = UnsafeRawPointer(baseB)
        let n = min(a.count, b.count)
        var acc = SIMD16<Float>()
        var i = 0
        while i &+ 16 <= n {
            let va = rawA.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            let vb = rawB.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            acc += va * vb
            i &+= 16
        }
        var tail: Float = 0
        while i < n {
            tail += baseA[i] * baseB[i]
            i &+= 1
        }
        return acc.sum() + tail
    }

    /// Σ x².
    @inlinable
    public static func sumOfSquares(_ x: UnsafeBufferPointer<Float>) -> Float {
        guard let base = x.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let n = x.count
        var acc = SIMD16<Float>()
        var i = 0
        while i &+ 16 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            acc += v * v
            i &+= 16
        }
        var tail: Float = 0
        while i < n {
            tail += base[i] * base[i]
            i &+= 1
        }
        return acc.sum() + tail
    }

    /// Pearson correlation of `a` and `b` in [-1, 1]; 0 when either has zero variance or
    /// fewer than two elements are shared.
    ///
    /// Two passes (means, then centred products) so a large common level does not cancel away
    /// the variation, as the one-pass Σab − ΣaΣb/n form would in `Float`.
    @inlinable
    public static func pearson(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        let n = min(a.count, b.count)
        guard n >= 2, let baseA = a.baseAddress, let baseB = b.baseAddress else { return 0 }
        let meanA = sum(UnsafeBufferPointer(start: baseA, count: n)) / Float(n)
        let meanB = sum(UnsafeBufferPointer(start: baseB, count: n)) / Float(n)
        let rawA = UnsafeRawPointer(baseA)
        let rawB = UnsafeRawPointer(baseB)
        let centreA = SIMD16<Float>(repeating: meanA)
        let centreB = SIMD16<Float>(repeating: meanB)
        var accAB = SIMD16<Float>()
        var accAA = SIMD16<Float>()
        var accBB = SIMD16<Float>()
        var i = 0
        while i &+ 16 <= n {
            let da = rawA.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) - centreA
            let db = rawB.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) - centreB
            accAB += da * db
            accAA += da * da
            accBB += db * db
            i &+= 16
        }
        var tailAB: Float = 0
        var tailAA: Float = 0
        var tailBB: Float = 0
        while i < n {
            let da = baseA[i] - meanA
            let db = baseB[i] - meanB
            tailAB += da * db
            tailAA += da * da
            tailBB += db * db
            i &+= 1
        }
        let sab = accAB.sum() + tailAB
        let saa = accAA.sum() + tailAA
        let sbb = accBB.sum() + tailBB
        // A spread below ~1e-6 of the level is rounding in the means, not variation.
        let floorA = Float(n) * (meanA * 0x1p-20) * (meanA * 0x1p-20)
        let floorB = Float(n) * (meanB * 0x1p-20) * (meanB * 0x1p-20)
        guard saa > floorA, sbb > floorB, saa > 0, sbb > 0 else { return 0 }
        let r = sab / (saa.squareRoot() * sbb.squareRoot())
        return min(1, max(-1, r))
    }

    /// x *= factor, in place.
    @inlinable
    public static func scale(_ x: UnsafeMutableBufferPointer<Float>, by factor: Float) {
        guard let base = x.baseAddress else { return }
        let raw = UnsafeMutableRawPointer(base)
        let n = x.count
        let f = SIMD16<Float>(repeating: factor)
        var i = 0
        while i &+ 16 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            raw.storeBytes(of: v * f, toByteOffset: i &* 4, as: SIMD16<Float>.self)
            i &+= 16
        }
        while i < n {
            base[i] *= factor
            i &+= 1
        }
    }

    /// Shape distance of two profiles, insensitive to gain: the root-mean-square difference of
    /// a/mean(a) and b/mean(b). 0 for identical shapes; 0.1 means the profiles differ by about
    /// 10 % of their level per element. Returns 0 when either mean is not positive.
    @inlinable
    public static func shapeDistance(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        let n = min(a.count, b.count)
        guard n > 0, let baseA = a.baseAddress, let baseB = b.baseAddress else { return 0 }
        let meanA = sum(UnsafeBufferPointer(rebasing: a[0..<n])) / Float(n)
        let meanB = sum(UnsafeBufferPointer(rebasing: b[0..<n])) / Float(n)
        guard meanA > 0, meanB > 0 else { return 0 }
        let scaleA = 1 / meanA
        let scaleB = 1 / meanB
        let rawA = UnsafeRawPointer(baseA)
        let rawB = UnsafeRawPointer(baseB)
        var acc = SIMD16<Float>()
        var i = 0
        while i &+ 16 <= n {
            let d = rawA.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) * scaleA
                - rawB.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) * scaleB
            acc += d * d
            i &+= 16
        }
        var tail: Float = 0
        while i < n {
            let d = baseA[i] * scaleA - baseB[i] * scaleB
            tail += d * d
            i &+= 1
        }
        return ((acc.sum() + tail) / Float(n)).squareRoot()
    }
}
