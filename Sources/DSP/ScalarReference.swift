/// Plain scalar versions of the DSP kernels: the tests check the SIMD kernels against them and
/// the benchmarks measure the kernels' speed-up over them.
///
/// Element-wise kernels use the same `Float` arithmetic in the same order as the SIMD code, so
/// they agree bit for bit. Reductions and moments accumulate in `Double` (and the variances are
/// two-pass), so they are the accurate answer the `Float` kernels are measured against.
public enum ScalarReference {
    public static func amplitudeFromInt8Pairs(_ src: UnsafeBufferPointer<Int8>, into dst: UnsafeMutableBufferPointer<Float>) {
        for k in 0..<min(src.count / 2, dst.count) {
            let im = Float(src[2 * k])
            let re = Float(src[2 * k + 1])
            dst[k] = (im * im + re * re).squareRoot()
        }
    }

    public static func amplitudeFromComplex(_ src: UnsafeBufferPointer<Float>, into dst: UnsafeMutableBufferPointer<Float>) {
        for k in 0..<min(src.count / 2, dst.count) {
            let re = src[2 * k]
            let im = src[2 * k + 1]
            dst[k] = (re * re + im * im).squareRoot()
        }
    }

    public static func sum(_ x: UnsafeBufferPointer<Float>) -> Float {
        var total = 0.0
        for v in x { total += Double(v) }
        return Float(total)
    }

    public static func mean(_ x: UnsafeBufferPointer<Float>) -> Float {
        x.isEmpty ? 0 : Float(Double(sum(x)) / Double(x.count))
    }

    public static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        var total = 0.0
        for i in 0..<min(a.count, b.count) { total += Double(a[i]) * Double(b[i]) }
        return Float(total)
    }

    public static func sumOfSquares(_ x: UnsafeBufferPointer<Float>) -> Float {
        var total = 0.0
        for v in x { total += Double(v) * Double(v) }
        return Float(total)
    }

    /// Two-pass Pearson correlation in `Double`; 0 when either variance is 0.
    public static func pearson(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        let n = min(a.count, b.count)
        guard n >= 2 else { return 0 }
        var sumA = 0.0
        var sumB = 0.0
        for i in 0..<n {
            sumA += Double(a[i])
            sumB += Double(b[i])
        }
        let meanA = sumA / Double(n)
        let meanB = sumB / Double(n)
        var sab = 0.0
        var saa = 0.0
        var sbb = 0.0
        for i in 0..<n {
            let da = Double(a[i]) - meanA
            let db = Double(b[i]) - meanB
            sab += da * db
            saa += da * da
            sbb += db * db
        }
        guard saa > 0, sbb > 0 else { return 0 }
        return Float(min(1, max(-1, sab / (saa * sbb).squareRoot())))
    }

    public static func scale(_ x: UnsafeMutableBufferPointer<Float>, by factor: Float) {
        for i in 0..<x.count { x[i] *= factor }
    }

    /// Two-pass per-subcarrier mean and population variance of `frames` row-major amplitude
    /// vectors of `subcarriers` values each (`values.count >= frames * subcarriers`).
    public static func windowMoments(
        _ values: UnsafeBufferPointer<Float>, frames: Int, subcarriers: Int,
        mean: UnsafeMutableBufferPointer<Float>, variance: UnsafeMutableBufferPointer<Float>
    ) {
        for s in 0..<min(subcarriers, mean.count, variance.count) {
            guard frames > 0 else {
                mean[s] = 0
                variance[s] = 0
                continue
            }
            var total = 0.0
            for f in 0..<frames { total += Double(values[f * subcarriers + s]) }
            let m = total / Double(frames)
            var squares = 0.0
            for f in 0..<frames {
                let d = Double(values[f * subcarriers + s]) - m
                squares += d * d
            }
            mean[s] = Float(m)
            variance[s] = Float(squares / Double(frames))
        }
    }

    /// One exponentially weighted update (West), in the same `Float` order as `RunningMoments`;
    /// `primed == false` sets the mean to `x` and the variance to 0.
    public static func runningMomentsUpdate(
        mean: UnsafeMutableBufferPointer<Float>, variance: UnsafeMutableBufferPointer<Float>,
        x: UnsafeBufferPointer<Float>, alpha: Float, primed: Bool
    ) {
        let keep = 1 - alpha
        for i in 0..<min(mean.count, variance.count, x.count) {
            if !primed {
                mean[i] = x[i]
                variance[i] = 0
                continue
            }
            let d = x[i] - mean[i]
            mean[i] = mean[i] + alpha * d
            variance[i] = keep * (variance[i] + alpha * d * d)
        }
    }

    public static func shapeDistance(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        let n = min(a.count, b.count)
        guard n > 0 else { return 0 }
        var sumA = 0.0
        var sumB = 0.0
        for i in 0..<n {
            sumA += Double(a[i])
            sumB += Double(b[i])
        }
        let meanA = sumA / Double(n)
        let meanB = sumB / Double(n)
        guard meanA > 0, meanB > 0 else { return 0 }
        var total = 0.0
        for i in 0..<n {
            let d = Double(a[i]) / meanA - Double(b[i]) / meanB
            total += d * d
        }
        return Float((total / Double(n)).squareRoot())
    }
}
