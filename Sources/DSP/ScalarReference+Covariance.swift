/// Scalar references for `WindowCovariance`.
extension ScalarReference {
    /// One frame of the covariance accumulation in plain loops, the benchmark's baseline for
    /// `WindowCovariance.add`: the first frame of a window (`frames == 0`) becomes `shift`;
    /// later frames add their deviations d = x − shift to `sums` and dᵢ·dⱼ (i ≤ j) to `products`
    /// (row-major `channels` × `channels`). `Float` arithmetic, as the SIMD kernel.
    public static func covarianceAdd(
        _ frame: UnsafeBufferPointer<Float>, channels: Int, frames: inout Int, shift: UnsafeMutableBufferPointer<Float>,
        sums: UnsafeMutableBufferPointer<Float>, products: UnsafeMutableBufferPointer<Float>
    ) {
        defer { frames += 1 }
        if frames == 0 {
            for i in 0..<channels { shift[i] = frame[i] }
            return
        }
        for i in 0..<channels {
            let di = frame[i] - shift[i]
            sums[i] += di
            for j in i..<channels { products[i * channels + j] += di * (frame[j] - shift[j]) }
        }
    }

    /// Two-pass population covariance and Pearson correlation in `Double` of `frames` row-major
    /// frames of `channels` values (`values.count >= frames * channels`), both S×S row-major.
    /// Fewer than two frames give all zeros; a channel with variance 0 has 0 in its row and column
    /// of the correlation, diagonal included (as `WindowCovariance.correlation`).
    public static func windowCovariance(
        _ values: UnsafeBufferPointer<Float>, frames: Int, channels: Int,
        covariance: UnsafeMutableBufferPointer<Float>, correlation: UnsafeMutableBufferPointer<Float>
    ) {
        let n = channels
        guard frames > 1 else {
            for k in 0..<(n * n) {
                covariance[k] = 0
                correlation[k] = 0
            }
            return
        }
        var means = [Double](repeating: 0, count: n)
        for f in 0..<frames {
            for i in 0..<n { means[i] += Double(values[f * n + i]) }
        }
        for i in 0..<n { means[i] /= Double(frames) }
        var matrix = [Double](repeating: 0, count: n * n)
        for f in 0..<frames {
            for i in 0..<n {
                let di = Double(values[f * n + i]) - means[i]
                for j in 0..<n { matrix[i * n + j] += di * (Double(values[f * n + j]) - means[j]) }
            }
        }
        for k in 0..<(n * n) { matrix[k] /= Double(frames) }
        for i in 0..<n {
            for j in 0..<n {
                covariance[i * n + j] = Float(matrix[i * n + j])
                let product = matrix[i * n + i] * matrix[j * n + j]
                correlation[i * n + j] = product > 0 ? Float(min(1, max(-1, matrix[i * n + j] / product.squareRoot()))) : 0
            }
        }
    }
}
