#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Forward DFT of `count` real samples, planned once per size:
/// `X[k] = Σ_{m<n} w[m]·x[m]·e^(−2πi·k·m/n)` for the `n/2 + 1` bins `k = 0...n/2` (the others
/// are `X[n−k] = conj X[k]`), with `w` the plan's window (all ones for `.rectangular`).
/// Unnormalised: a rectangular-window cosine of amplitude A on bin k, 0 < k < n/2, gives
/// |X[k]| = A·n/2; Parseval reads `n·Σx² = |X[0]|² + |X[n/2]|² + 2·Σ_{0<k<n/2} |X[k]|²`.
///
/// The n real samples become N = n/2 complex ones, `z[m] = x[2m] + i·x[2m+1]`, and an iterative
/// radix-2 decimation-in-time FFT of size N runs over split real/imaginary arrays: the first two
/// stages as one radix-4 pass fused with the windowed, bit-reversed load (SIMD4 across groups;
/// scalar for n < 32), the rest as SIMD4/SIMD8 butterflies. The unpacking step, SIMD4 as well, is
/// `X[k] = ½(Z[k] + conj Z[N−k]) − ½i·W^k·(Z[k] − conj Z[N−k])`, `W = e^(−2πi/n)`, `Z[N] = Z[0]`.
///
/// Twiddles are computed in `Double` once and stored as `Float`. Against a `Double` DFT each bin
/// is within 1e-7 of `sqrt(n·Σx²)` (measured for n = 8...4096; the tests allow 5e-7). The plan
/// allocates at init only. `forward` works in the caller's buffers; `powerSpectrum` uses the
/// plan's scratch, so it is `mutating` and a plan serves one caller at a time.
public struct RealFFT: Sendable {
    /// Taper multiplied into the samples before the transform.
    public enum Window: Sendable, Equatable {
        /// All weights 1.
        case rectangular
        /// Periodic Hann, `w[m] = ½ − ½·cos(2πm/n)`: side lobes fall off quickly, so a component
        /// that is not periodic in the window (a drift, a tone between bins) leaks little into
        /// distant bins, while a tone on a bin spreads over three. Σw = n/2, Σw² = 3n/8. A level L
        /// still shows as |X[0]| = L·n/2 and |X[1]| = L·n/4: subtract the mean first when bin 1
        /// matters.
        case hann
    }

    /// Supported sizes (powers of two only).
    public static let sizes: ClosedRange<Int> = 8...4096

    /// Samples per transform, n.
    public let count: Int
    /// Taper applied before the transform.
    public let window: Window
    /// Bins per transform, n/2 + 1.
    @inlinable public var binCount: Int { half &+ 1 }

    /// N = n/2, the size of the complex FFT.
    @usableFromInline let half: Int
    /// Stage twiddles (real N, imaginary N; the stage with span h holds e^(−πi·j/h), j < h, at
    /// offset h − 1), unpacking twiddles W^k for k = 0...N/2 (real, imaginary), then the window
    /// weights (n; ones for `.rectangular`, so both windows take the same path).
    @usableFromInline let tables: [Float]
    /// Bit reversal of log2(N) bits for 0..<N.
    @usableFromInline let bitReversed: [Int32]
    /// 2N floats for `powerSpectrum`.
    @usableFromInline var scratch: [Float]

    /// Plans a transform of `count` samples.
    /// - Throws: `DSPError.invalidFFTSize` unless `count` is a power of two in `RealFFT.sizes`.
    public init(count: Int, window: Window = .rectangular) throws(DSPError) {
        guard Self.sizes.contains(count), count & (count &- 1) == 0 else { throw .invalidFFTSize(count) }
        let half = count / 2
        let weights = window == .hann ? Self.hann(count: count) : [Float](repeating: 1, count: count)
        (tables, bitReversed) = Self.plan(count: count, weights: weights)
        self.count = count
        self.window = window
        self.half = half
        self.scratch = [Float](repeating: 0, count: 2 * half)
    }

    /// The tables `transform` reads for an n-point real (N = n/2-point complex) transform:
    /// stage twiddles, unpacking twiddles, then `weights` (n floats, one per input float).
    /// `ComplexFFT` plans with the same layout.
    static func plan(count: Int, weights: [Float]) -> (tables: [Float], bitReversed: [Int32]) {
        let half = count / 2
        let unpackCount = half / 2 + 1
        var tables = [Float](repeating: 0, count: 2 * half + 2 * unpackCount + weights.count)
        var span = 1
        while span < half {
            for j in 0..<span {
                let angle = -Double.pi * Double(j) / Double(span)
                tables[span - 1 + j] = Float(cos(angle))
                tables[half + span - 1 + j] = Float(sin(angle))
            }
            span *= 2
        }
        for k in 0..<unpackCount {
            let angle = -2 * Double.pi * Double(k) / Double(count)
            tables[2 * half + k] = Float(cos(angle))
            tables[2 * half + unpackCount + k] = Float(sin(angle))
        }
        for m in 0..<weights.count { tables[2 * half + 2 * unpackCount + m] = weights[m] }
        let bits = half.trailingZeroBitCount
        let bitReversed = (0..<half).map { m in
            var reversed = 0
            for b in 0..<bits where m & (1 << b) != 0 { reversed |= 1 << (bits - 1 - b) }
            return Int32(reversed)
        }
        return (tables, bitReversed)
    }

    /// Periodic Hann weights `½ − ½·cos(2πm/n)`, m = 0..<n (the `.hann` window of an n-point plan).
    public static func hann(count n: Int) -> [Float] {
        (0..<max(0, n)).map { m in Float(0.5 - 0.5 * cos(2 * Double.pi * Double(m) / Double(n))) }
    }

    /// Bins `X[0...n/2]` of the first `count` samples of `input` into the first `binCount`
    /// elements of `real` and `imaginary` (the imaginary parts of bins 0 and n/2 are 0).
    /// The outputs must not overlap `input`.
    /// - Precondition: `input.count >= count`, `real.count >= binCount`, `imaginary.count >= binCount`.
    @inlinable
    public func forward(
        _ input: UnsafeBufferPointer<Float>,
        real: UnsafeMutableBufferPointer<Float>, imaginary: UnsafeMutableBufferPointer<Float>
    ) {
        let n = half
        precondition(input.count >= count && real.count > n && imaginary.count > n,
                     "RealFFT.forward: \(input.count) samples, \(real.count)/\(imaginary.count) bins for n = \(count)")
        guard let x = input.baseAddress, let re = real.baseAddress, let im = imaginary.baseAddress else { return }
        tables.withUnsafeBufferPointer { tableBuffer in
            bitReversed.withUnsafeBufferPointer { reversalBuffer in
                guard let t = tableBuffer.baseAddress, let r = reversalBuffer.baseAddress else { return }
                Self.transform(x, re, im, half: n, tables: t, bitReversed: r)
                Self.unpack(re, im, half: n, tables: t)
            }
        }
    }

    /// Power spectrum `P[k] = |X[k]|²`, k = 0...n/2, of the first `count` samples of `input` into
    /// the first `binCount` elements of `power`.
    /// - Precondition: `input.count >= count`, `power.count >= binCount`.
    @inlinable
    public mutating func powerSpectrum(_ input: UnsafeBufferPointer<Float>, into power: UnsafeMutableBufferPointer<Float>) {
        let n = half
        precondition(input.count >= count && power.count > n,
                     "RealFFT.powerSpectrum: \(input.count) samples, \(power.count) bins for n = \(count)")
        guard let x = input.baseAddress, let p = power.baseAddress else { return }
        let tables = self.tables
        let bitReversed = self.bitReversed
        scratch.withUnsafeMutableBufferPointer { work in
            tables.withUnsafeBufferPointer { tableBuffer in
                bitReversed.withUnsafeBufferPointer { reversalBuffer in
                    guard let re = work.baseAddress, let t = tableBuffer.baseAddress, let r = reversalBuffer.baseAddress else { return }
                    let im = re + n
                    Self.transform(x, re, im, half: n, tables: t, bitReversed: r)
                    Self.unpackPower(re, im, half: n, tables: t, into: p)
                }
            }
        }
    }

    /// Packs and windows the input in bit-reversed order and runs the N-point complex FFT in
    /// place in `re[0..<N]`, `im[0..<N]`.
    @inlinable
    static func transform(
        _ x: UnsafePointer<Float>, _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>,
        half n: Int, tables: UnsafePointer<Float>, bitReversed: UnsafePointer<Int32>
    ) {
        let weights = tables + (2 &* n &+ 2 &* (n / 2 &+ 1))
        if n >= 16 {
            firstStages(x, re, im, half: n, weights: weights, bitReversed: bitReversed)
        } else {
            smallFirstStages(x, re, im, half: n, weights: weights, bitReversed: bitReversed)
        }
        let realRaw = UnsafeMutableRawPointer(re)
        let imagRaw = UnsafeMutableRawPointer(im)
        let twiddleReal = UnsafeRawPointer(tables)
        let twiddleImag = UnsafeRawPointer(tables + n)
        if n >= 8 {
            butterflies4(realRaw, imagRaw, half: n, twiddleReal, twiddleImag)
        }
        var span = 8
        while span < n {
            butterflies8(realRaw, imagRaw, half: n, span: span, twiddleReal, twiddleImag)
            span &<<= 1
        }
    }

    /// Spans 1 and 2 (twiddles 1 and −i) as one radix-4 pass fused with the bit-reversed load,
    /// four groups per step. Bit reversal puts z[s], z[s+N/2], z[s+N/4], z[s+3N/4] at positions
    /// p...p+3 with p = rev(s), so for s < N/4 the group's inputs are four contiguous quarter
    /// rows of the input; the outputs are transposed and stored as one SIMD4 per group.
    /// Needs N >= 16 (N/4 a multiple of 4).
    @inlinable
    static func firstStages(
        _ x: UnsafePointer<Float>, _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>,
        half n: Int, weights: UnsafePointer<Float>, bitReversed: UnsafePointer<Int32>
    ) {
        let input = UnsafeRawPointer(x)
        let window = UnsafeRawPointer(weights)
        let realRaw = UnsafeMutableRawPointer(re)
        let imagRaw = UnsafeMutableRawPointer(im)
        let quarter = (n / 4) &* 8  // bytes from z[s] to z[s + N/4]
        var s = 0
        while s < n / 4 {
            let o = s &* 8
            let v0 = input.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                * window.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let v1 = input.loadUnaligned(fromByteOffset: o &+ 2 &* quarter, as: SIMD8<Float>.self)
                * window.loadUnaligned(fromByteOffset: o &+ 2 &* quarter, as: SIMD8<Float>.self)
            let v2 = input.loadUnaligned(fromByteOffset: o &+ quarter, as: SIMD8<Float>.self)
                * window.loadUnaligned(fromByteOffset: o &+ quarter, as: SIMD8<Float>.self)
            let v3 = input.loadUnaligned(fromByteOffset: o &+ 3 &* quarter, as: SIMD8<Float>.self)
                * window.loadUnaligned(fromByteOffset: o &+ 3 &* quarter, as: SIMD8<Float>.self)
            let s0r = v0.evenHalf + v1.evenHalf, s0i = v0.oddHalf + v1.oddHalf
            let s1r = v0.evenHalf - v1.evenHalf, s1i = v0.oddHalf - v1.oddHalf
            let s2r = v2.evenHalf + v3.evenHalf, s2i = v2.oddHalf + v3.oddHalf
            let s3r = v2.evenHalf - v3.evenHalf, s3i = v2.oddHalf - v3.oddHalf
            let y0r = s0r + s2r, y0i = s0i + s2i
            let y2r = s0r - s2r, y2i = s0i - s2i
            let y1r = s1r + s3i, y1i = s1i - s3r
            let y3r = s1r - s3i, y3i = s1i + s3r
            for lane in 0..<4 {
                let p = Int(bitReversed[s &+ lane]) &* 4
                realRaw.storeBytes(of: SIMD4(y0r[lane], y1r[lane], y2r[lane], y3r[lane]), toByteOffset: p, as: SIMD4<Float>.self)
                imagRaw.storeBytes(of: SIMD4(y0i[lane], y1i[lane], y2i[lane], y3i[lane]), toByteOffset: p, as: SIMD4<Float>.self)
            }
            s &+= 4
        }
    }

    /// `firstStages` for N = 4 and 8, in scalar code: bit-reversed load, then radix-4 groups.
    @inlinable
    static func smallFirstStages(
        _ x: UnsafePointer<Float>, _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>,
        half n: Int, weights: UnsafePointer<Float>, bitReversed: UnsafePointer<Int32>
    ) {
        for m in 0..<n {
            let d = Int(bitReversed[m])
            re[d] = x[2 &* m] * weights[2 &* m]
            im[d] = x[2 &* m &+ 1] * weights[2 &* m &+ 1]
        }
        var g = 0
        while g < n {
            let s0r = re[g] + re[g &+ 1], s0i = im[g] + im[g &+ 1]
            let s1r = re[g] - re[g &+ 1], s1i = im[g] - im[g &+ 1]
            let s2r = re[g &+ 2] + re[g &+ 3], s2i = im[g &+ 2] + im[g &+ 3]
            let s3r = re[g &+ 2] - re[g &+ 3], s3i = im[g &+ 2] - im[g &+ 3]
            re[g] = s0r + s2r
            im[g] = s0i + s2i
            re[g &+ 2] = s0r - s2r
            im[g &+ 2] = s0i - s2i
            re[g &+ 1] = s1r + s3i
            im[g &+ 1] = s1i - s3r
            re[g &+ 3] = s1r - s3i
            im[g &+ 3] = s1i + s3r
            g &+= 4
        }
    }

    /// One radix-2 stage: for every group of 2·span, `a ± W·b` with `a = z[g+j]`, `b = z[g+j+span]`,
    /// `W = e^(−πi·j/span)`, 8 lanes at a time; `span` is a multiple of 8.
    @inlinable
    static func butterflies8(
        _ re: UnsafeMutableRawPointer, _ im: UnsafeMutableRawPointer, half n: Int, span: Int,
        _ twiddleReal: UnsafeRawPointer, _ twiddleImag: UnsafeRawPointer
    ) {
        let spanBytes = span &* 4
        let twiddleBase = (span &- 1) &* 4
        var g = 0
        while g < n {
            var j = 0
            while j < span {
                let a = (g &+ j) &* 4
                let b = a &+ spanBytes
                let w = twiddleBase &+ j &* 4
                let wr = twiddleReal.loadUnaligned(fromByteOffset: w, as: SIMD8<Float>.self)
                let wi = twiddleImag.loadUnaligned(fromByteOffset: w, as: SIMD8<Float>.self)
                let br = re.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self)
                let bi = im.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self)
                let ar = re.loadUnaligned(fromByteOffset: a, as: SIMD8<Float>.self)
                let ai = im.loadUnaligned(fromByteOffset: a, as: SIMD8<Float>.self)
                let tr = br * wr - bi * wi
                let ti = br * wi + bi * wr
                re.storeBytes(of: ar + tr, toByteOffset: a, as: SIMD8<Float>.self)
                im.storeBytes(of: ai + ti, toByteOffset: a, as: SIMD8<Float>.self)
                re.storeBytes(of: ar - tr, toByteOffset: b, as: SIMD8<Float>.self)
                im.storeBytes(of: ai - ti, toByteOffset: b, as: SIMD8<Float>.self)
                j &+= 8
            }
            g &+= 2 &* span
        }
    }

    /// The span-4 stage (twiddles e^(−πi·j/4), j < 4), one group of 8 per SIMD4 step.
    @inlinable
    static func butterflies4(
        _ re: UnsafeMutableRawPointer, _ im: UnsafeMutableRawPointer, half n: Int,
        _ twiddleReal: UnsafeRawPointer, _ twiddleImag: UnsafeRawPointer
    ) {
        let wr = twiddleReal.loadUnaligned(fromByteOffset: 12, as: SIMD4<Float>.self)
        let wi = twiddleImag.loadUnaligned(fromByteOffset: 12, as: SIMD4<Float>.self)
        var a = 0
        while a < n &* 4 {
            let b = a &+ 16
            let br = re.loadUnaligned(fromByteOffset: b, as: SIMD4<Float>.self)
            let bi = im.loadUnaligned(fromByteOffset: b, as: SIMD4<Float>.self)
            let ar = re.loadUnaligned(fromByteOffset: a, as: SIMD4<Float>.self)
            let ai = im.loadUnaligned(fromByteOffset: a, as: SIMD4<Float>.self)
            let tr = br * wr - bi * wi
            let ti = br * wi + bi * wr
            re.storeBytes(of: ar + tr, toByteOffset: a, as: SIMD4<Float>.self)
            im.storeBytes(of: ai + ti, toByteOffset: a, as: SIMD4<Float>.self)
            re.storeBytes(of: ar - tr, toByteOffset: b, as: SIMD4<Float>.self)
            im.storeBytes(of: ai - ti, toByteOffset: b, as: SIMD4<Float>.self)
            a &+= 32
        }
    }

    /// Z[0..<N] in `re`/`im` → X[0...N] in place (needs N + 1 elements). Bins k and N − k come
    /// from the same pair Z[k], Z[N−k]; 0 < k < N/2 runs four at a time, the mirror block read and
    /// written lane-reversed.
    @inlinable
    static func unpack(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, half n: Int, tables: UnsafePointer<Float>) {
        let quarter = n / 2
        let wr = tables + 2 &* n
        let wi = wr + (quarter &+ 1)
        let z0r = re[0], z0i = im[0]
        re[0] = z0r + z0i
        im[0] = 0
        re[n] = z0r - z0i
        im[n] = 0
        let realRaw = UnsafeMutableRawPointer(re)
        let imagRaw = UnsafeMutableRawPointer(im)
        var k = 1
        while k &+ 4 <= quarter {
            let o = k &* 4
            let mirror = (n &- k &- 3) &* 4
            let ar = realRaw.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
            let ai = imagRaw.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
            let br = reversed(realRaw.loadUnaligned(fromByteOffset: mirror, as: SIMD4<Float>.self))
            let bi = reversed(imagRaw.loadUnaligned(fromByteOffset: mirror, as: SIMD4<Float>.self))
            let (xr, xi, yr, yi) = split(ar, ai, br, bi,
                                         UnsafeRawPointer(wr).loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self),
                                         UnsafeRawPointer(wi).loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self))
            realRaw.storeBytes(of: xr, toByteOffset: o, as: SIMD4<Float>.self)
            imagRaw.storeBytes(of: xi, toByteOffset: o, as: SIMD4<Float>.self)
            realRaw.storeBytes(of: reversed(yr), toByteOffset: mirror, as: SIMD4<Float>.self)
            imagRaw.storeBytes(of: reversed(yi), toByteOffset: mirror, as: SIMD4<Float>.self)
            k &+= 4
        }
        while k < quarter {
            let m = n &- k
            let (xr, xi, yr, yi) = split(re[k], im[k], re[m], im[m], wr[k], wi[k])
            re[k] = xr
            im[k] = xi
            re[m] = yr
            im[m] = yi
            k &+= 1
        }
        // W^(N/2) = −i: X[N/2] = conj Z[N/2].
        im[quarter] = -im[quarter]
    }

    /// Z[0..<N] in `re`/`im` → |X[k]|², k = 0...N, into `power`; the loop of `unpack`.
    @inlinable
    static func unpackPower(
        _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, half n: Int,
        tables: UnsafePointer<Float>, into power: UnsafeMutablePointer<Float>
    ) {
        let quarter = n / 2
        let wr = tables + 2 &* n
        let wi = wr + (quarter &+ 1)
        let dc = re[0] + im[0]
        let nyquist = re[0] - im[0]
        power[0] = dc * dc
        power[n] = nyquist * nyquist
        let realRaw = UnsafeRawPointer(re)
        let imagRaw = UnsafeRawPointer(im)
        let out = UnsafeMutableRawPointer(power)
        var k = 1
        while k &+ 4 <= quarter {
            let o = k &* 4
            let mirror = (n &- k &- 3) &* 4
            let (xr, xi, yr, yi) = split(
                realRaw.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self),
                imagRaw.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self),
                reversed(realRaw.loadUnaligned(fromByteOffset: mirror, as: SIMD4<Float>.self)),
                reversed(imagRaw.loadUnaligned(fromByteOffset: mirror, as: SIMD4<Float>.self)),
                UnsafeRawPointer(wr).loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self),
                UnsafeRawPointer(wi).loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self))
            out.storeBytes(of: xr * xr + xi * xi, toByteOffset: o, as: SIMD4<Float>.self)
            out.storeBytes(of: reversed(yr * yr + yi * yi), toByteOffset: mirror, as: SIMD4<Float>.self)
            k &+= 4
        }
        while k < quarter {
            let m = n &- k
            let (xr, xi, yr, yi) = split(re[k], im[k], re[m], im[m], wr[k], wi[k])
            power[k] = xr * xr + xi * xi
            power[m] = yr * yr + yi * yi
            k &+= 1
        }
        power[quarter] = re[quarter] * re[quarter] + im[quarter] * im[quarter]
    }

    /// X[k] and X[N−k] from a = Z[k], b = Z[N−k] and W^k: with E = ½(a + conj b) and
    /// O = −½i(a − conj b), X[k] = E + W^k·O and X[N−k] = conj(E − W^k·O).
    @inlinable
    static func split(
        _ ar: SIMD4<Float>, _ ai: SIMD4<Float>, _ br: SIMD4<Float>, _ bi: SIMD4<Float>, _ wr: SIMD4<Float>, _ wi: SIMD4<Float>
    ) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        let half = SIMD4<Float>(repeating: 0.5)
        let er = half * (ar + br), ei = half * (ai - bi)
        let or = half * (ai + bi), oi = half * (br - ar)
        let tr = wr * or - wi * oi
        let ti = wr * oi + wi * or
        return (er + tr, ei + ti, er - tr, ti - ei)
    }

    /// `split` for one bin.
    @inlinable
    static func split(_ ar: Float, _ ai: Float, _ br: Float, _ bi: Float, _ wr: Float, _ wi: Float) -> (Float, Float, Float, Float) {
        let er = 0.5 * (ar + br), ei = 0.5 * (ai - bi)
        let or = 0.5 * (ai + bi), oi = 0.5 * (br - ar)
        let tr = wr * or - wi * oi
        let ti = wr * oi + wi * or
        return (er + tr, ei + ti, er - tr, ti - ei)
    }

    @inlinable
    static func reversed(_ v: SIMD4<Float>) -> SIMD4<Float> { SIMD4(v[3], v[2], v[1], v[0]) }
}
