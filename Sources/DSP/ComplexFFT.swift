/// Forward DFT of `count` complex samples given as interleaved (re, im) floats, planned once per
/// size: `Z[k] = Σ_{m<N} w[m]·z[m]·e^(−2πi·k·m/N)` for k = 0..<N in FFT order (bin k > N/2 is the
/// negative frequency k − N), unnormalised, with `w` the plan's window.
///
/// It runs the same SIMD radix-2 transform as `RealFFT` (which treats its n real samples as
/// N = n/2 complex ones internally), with a window weight per complex sample instead of per
/// real one. A complex tone of amplitude A on bin k gives |Z[k]| = A·N (rectangular window);
/// Parseval reads `N·Σ|w·z|² = Σ|Z[k]|²`. Used for the spectra of GaN PA I/Q blocks (ACPR).
public struct ComplexFFT: Sendable {
    /// Supported sizes (powers of two only).
    public static let sizes: ClosedRange<Int> = 4...2048

    /// Complex samples per transform, N.
    public let count: Int
    public let window: RealFFT.Window
    @usableFromInline let tables: [Float]
    @usableFromInline let bitReversed: [Int32]
    /// 2N floats: the real and imaginary parts of the transform.
    @usableFromInline var scratch: [Float]

    /// Plans a transform of `count` complex samples.
    /// - Throws: `DSPError.invalidFFTSize` unless `count` is a power of two in `ComplexFFT.sizes`.
    public init(count: Int, window: RealFFT.Window = .rectangular) throws(DSPError) {
        guard Self.sizes.contains(count), count & (count &- 1) == 0 else { throw .invalidFFTSize(count) }
        let perSample = window == .hann ? Self.hann(count: count) : [Float](repeating: 1, count: count)
        var weights = [Float](repeating: 0, count: 2 * count)
        for m in 0..<count {
            weights[2 * m] = perSample[m]
            weights[2 * m + 1] = perSample[m]
        }
        (tables, bitReversed) = RealFFT.plan(count: 2 * count, weights: weights)
        self.count = count
        self.window = window
        self.scratch = [Float](repeating: 0, count: 2 * count)
    }

    /// Periodic Hann weights `½ − ½·cos(2πm/N)`, m = 0..<N. Σw = N/2, Σw² = 3N/8.
    public static func hann(count: Int) -> [Float] { RealFFT.hann(count: count) }

    /// Power spectrum `P[k] = |Z[k]|²`, k = 0..<N (FFT order), of the first `count` complex samples
    /// of `input` (2·count floats) into the first `count` elements of `power`.
    /// - Precondition: `input.count >= 2 * count`, `power.count >= count`.
    @inlinable
    public mutating func powerSpectrum(_ input: UnsafeBufferPointer<Float>, into power: UnsafeMutableBufferPointer<Float>) {
        let n = count
        precondition(input.count >= 2 &* n && power.count >= n,
                     "ComplexFFT.powerSpectrum: \(input.count) floats, \(power.count) bins for N = \(n)")
        guard let x = input.baseAddress, let p = power.baseAddress else { return }
        let tables = self.tables
        let bitReversed = self.bitReversed
        scratch.withUnsafeMutableBufferPointer { work in
            tables.withUnsafeBufferPointer { tableBuffer in
                bitReversed.withUnsafeBufferPointer { reversalBuffer in
                    guard let re = work.baseAddress, let t = tableBuffer.baseAddress, let r = reversalBuffer.baseAddress else { return }
                    let im = re + n
                    RealFFT.transform(x, re, im, half: n, tables: t, bitReversed: r)
                    Self.magnitudes(re, im, count: n, into: p)
                }
            }
        }
    }

    /// `p[k] = re[k]² + im[k]²`, eight bins per step.
    @inlinable
    static func magnitudes(_ re: UnsafePointer<Float>, _ im: UnsafePointer<Float>, count n: Int, into p: UnsafeMutablePointer<Float>) {
        let realRaw = UnsafeRawPointer(re)
        let imagRaw = UnsafeRawPointer(im)
        let out = UnsafeMutableRawPointer(p)
        var k = 0
        while k &+ 8 <= n {
            let a = realRaw.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
            let b = imagRaw.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
            out.storeBytes(of: a * a + b * b, toByteOffset: k &* 4, as: SIMD8<Float>.self)
            k &+= 8
        }
        while k < n {
            p[k] = re[k] * re[k] + im[k] * im[k]
            k &+= 1
        }
    }
}
