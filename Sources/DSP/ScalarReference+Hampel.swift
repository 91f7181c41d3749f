/// Scalar reference for `HampelFilter`.
extension ScalarReference {
    /// Causal Hampel decision for the newest of `window` frames: `frames` holds `window` row-major
    /// frames of `channels` values, oldest first. Per channel, with m the median of the column and
    /// MAD the median of `|v − m|`, the newest value x becomes m when
    /// `|x − m| > max(threshold·1.4826·MAD, minimumDeviation)`. Writes `out[0..<channels]` and
    /// returns the number replaced. Per channel it copies the column and insertion-sorts it; the
    /// `Float` operations match `HampelFilter`, so the two agree exactly.
    public static func hampelNewest(
        _ frames: UnsafeBufferPointer<Float>, window: Int, channels: Int, threshold: Float,
        minimumDeviation: Float = 0, into out: UnsafeMutableBufferPointer<Float>
    ) -> Int {
        precondition(window >= 1 && frames.count >= window * channels && out.count >= channels,
                     "ScalarReference.hampelNewest: \(frames.count) values for \(window) x \(channels)")
        let scale = threshold * HampelFilter.gaussianScale
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: window) { column -> Int in
            var replaced = 0
            for c in 0..<channels {
                for f in 0..<window { column[f] = frames[f * channels + c] }
                insertionSort(column)
                let median = column[window / 2]
                for f in 0..<window { column[f] = abs(frames[f * channels + c] - median) }
                insertionSort(column)
                let mad = column[window / 2]
                let x = frames[(window - 1) * channels + c]
                if abs(x - median) > max(mad * scale, minimumDeviation) {
                    out[c] = median
                    replaced += 1
                } else {
                    out[c] = x
                }
            }
            return replaced
        }
    }

    private static func insertionSort(_ values: UnsafeMutableBufferPointer<Float>) {
        guard values.count > 1 else { return }
        for i in 1..<values.count {
            let v = values[i]
            var j = i
            while j > 0 && values[j - 1] > v {
                values[j] = values[j - 1]
                j -= 1
            }
            values[j] = v
        }
    }
}
