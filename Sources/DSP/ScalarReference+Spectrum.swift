#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Scalar references for `RealFFT`: a direct DFT in `Double` (the accurate answer the tests compare
/// against) and a textbook radix-2 FFT in `Float` (the fair speed baseline for the benchmark).
extension ScalarReference {
    /// Direct O(n²) DFT of `n = x.count` real samples in `Double`:
    /// `X[k] = Σ_{m<n} x[m]·e^(−2πi·k·m/n)` for k = 0...n/2, into the first n/2 + 1 elements of
    /// `real` and `imaginary`. Angles come from a table of e^(−2πi·j/n) indexed by `k·m mod n`, so
    /// large products lose nothing to argument reduction. Any n ≥ 1; empty input writes nothing.
    public static func dft(
        _ x: UnsafeBufferPointer<Float>,
        real: UnsafeMutableBufferPointer<Double>, imaginary: UnsafeMutableBufferPointer<Double>
    ) {
        let n = x.count
        guard n > 0 else { return }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { table in
            for j in 0..<n {
                let angle = -2 * Double.pi * Double(j) / Double(n)
                table[j] = cos(angle)
                table[n + j] = sin(angle)
            }
            for k in 0..<min(n / 2 + 1, real.count, imaginary.count) {
                var sumReal = 0.0
                var sumImag = 0.0
                for m in 0..<n {
                    let j = (k * m) % n
                    sumReal += Double(x[m]) * table[j]
                    sumImag += Double(x[m]) * table[n + j]
                }
                real[k] = sumReal
                imaginary[k] = sumImag
            }
        }
    }

    /// Textbook radix-2 FFT power spectrum in `Float`: the n real samples (n = `x.count`, a power of
    /// two ≥ 2) go into the complex scratch in bit-reversed order with zero imaginary parts, log2(n)
    /// in-place Cooley–Tukey stages run on all n points (one `cos`/`sin` per stage, the twiddle
    /// advanced by complex multiplication in `Double`), and `power[k] = |X[k]|²` for k = 0...n/2.
    /// - Precondition: n is a power of two ≥ 2; both scratch buffers hold n; `power` holds n/2 + 1.
    public static func fftPowerSpectrum(
        _ x: UnsafeBufferPointer<Float>, into power: UnsafeMutableBufferPointer<Float>,
        scratchReal re: UnsafeMutableBufferPointer<Float>, scratchImag im: UnsafeMutableBufferPointer<Float>
    ) {
        let n = x.count
        precondition(n >= 2 && n & (n - 1) == 0 && re.count >= n && im.count >= n && power.count > n / 2,
                     "ScalarReference.fftPowerSpectrum: n = \(n)")
        let bits = n.trailingZeroBitCount
        for m in 0..<n {
            var reversed = 0
            for b in 0..<bits where m & (1 << b) != 0 { reversed |= 1 << (bits - 1 - b) }
            re[reversed] = x[m]
            im[reversed] = 0
        }
        radix2Stages(re, im, count: n)
        for k in 0...(n / 2) { power[k] = re[k] * re[k] + im[k] * im[k] }
    }
}

/// Scalar references for the GaN PA kernels (`IQBlock`, `ComplexFFT`).
extension ScalarReference {
    /// `IQBlock.convert` one sample at a time, with the sums in `Double`.
    public static func iqConvert(_ iq: UnsafeBufferPointer<Int16>, into dst: UnsafeMutableBufferPointer<Float>) -> (sum: Double, peak: Double) {
        var sum = 0.0
        var peak = 0.0
        for k in 0..<(min(iq.count, dst.count) / 2) {
            let i = Double(iq[2 * k])
            let q = Double(iq[2 * k + 1])
            dst[2 * k] = Float(i)
            dst[2 * k + 1] = Float(q)
            sum += i * i + q * q
            peak = max(peak, i * i + q * q)
        }
        return (sum, peak)
    }

    /// Direct O(N²) DFT power of N complex samples (interleaved floats) in `Double`, FFT order,
    /// each sample multiplied by `weights[m]` first (nil: all ones).
    public static func complexDFTPower(_ x: UnsafeBufferPointer<Float>, weights: [Float]? = nil) -> [Double] {
        let n = x.count / 2
        guard n > 0 else { return [] }
        var table = [Double](repeating: 0, count: 2 * n)
        for j in 0..<n {
            let angle = -2 * Double.pi * Double(j) / Double(n)
            table[j] = cos(angle)
            table[n + j] = sin(angle)
        }
        var power = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var sr = 0.0
            var si = 0.0
            for m in 0..<n {
                let w = Double(weights?[m] ?? 1)
                let re = w * Double(x[2 * m])
                let im = w * Double(x[2 * m + 1])
                let j = (k * m) % n
                sr += re * table[j] - im * table[n + j]
                si += re * table[n + j] + im * table[j]
            }
            power[k] = sr * sr + si * si
        }
        return power
    }

    /// Textbook radix-2 complex FFT power spectrum in `Float` (the benchmark's baseline for
    /// `ComplexFFT`): bit-reversed copy, log2(N) in-place stages with the twiddle advanced by
    /// complex multiplication, `power[k] = |Z[k]|²` for k < N.
    /// - Precondition: N = x.count / 2 is a power of two ≥ 2; scratch buffers and `power` hold N.
    public static func complexFFTPower(
        _ x: UnsafeBufferPointer<Float>, into power: UnsafeMutableBufferPointer<Float>,
        scratchReal re: UnsafeMutableBufferPointer<Float>, scratchImag im: UnsafeMutableBufferPointer<Float>
    ) {
        let n = x.count / 2
        precondition(n >= 2 && n & (n - 1) == 0 && re.count >= n && im.count >= n && power.count >= n,
                     "ScalarReference.complexFFTPower: N = \(n)")
        let bits = n.trailingZeroBitCount
        for m in 0..<n {
            var reversed = 0
            for b in 0..<bits where m & (1 << b) != 0 { reversed |= 1 << (bits - 1 - b) }
            re[reversed] = x[2 * m]
            im[reversed] = x[2 * m + 1]
        }
        radix2Stages(re, im, count: n)
        for k in 0..<n { power[k] = re[k] * re[k] + im[k] * im[k] }
    }

    /// The log2(n) in-place Cooley–Tukey stages both textbook FFTs share, on bit-reversed input
    /// (one `cos`/`sin` per stage, the twiddle advanced by complex multiplication in `Double`).
    static func radix2Stages(_ re: UnsafeMutableBufferPointer<Float>, _ im: UnsafeMutableBufferPointer<Float>, count n: Int) {
        var length = 2
        while length <= n {
            let step = -2 * Double.pi / Double(length)
            let stepReal = cos(step)
            let stepImag = sin(step)
            var wReal = 1.0
            var wImag = 0.0
            for j in 0..<(length / 2) {
                let cr = Float(wReal)
                let ci = Float(wImag)
                var a = j
                while a < n {
                    let b = a + length / 2
                    let tr = re[b] * cr - im[b] * ci
                    let ti = re[b] * ci + im[b] * cr
                    re[b] = re[a] - tr
                    im[b] = im[a] - ti
                    re[a] += tr
                    im[a] += ti
                    a += length
                }
                (wReal, wImag) = (wReal * stepReal - wImag * stepImag, wReal * stepImag + wImag * stepReal)
            }
            length *= 2
        }
    }
}
