import DSP
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Power-of-two sizes the plan accepts.
private let fftSizes = (3...12).map { 1 << $0 }

/// `plan.powerSpectrum` of `x` as an array.
private func power(_ plan: inout RealFFT, _ x: [Float]) -> [Float] {
    var out = [Float](repeating: .nan, count: plan.binCount)
    x.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { plan.powerSpectrum(src, into: $0) } }
    return out
}

/// Reference bins of `x` from the `Double` DFT.
private func dft(_ x: [Float]) -> (real: [Double], imag: [Double]) {
    var re = [Double](repeating: .nan, count: x.count / 2 + 1)
    var im = re
    x.withUnsafeBufferPointer { src in
        re.withUnsafeMutableBufferPointer { r in im.withUnsafeMutableBufferPointer { ScalarReference.dft(src, real: r, imaginary: $0) } }
    }
    return (re, im)
}

/// Σx² in `Double`.
private func sumOfSquares(_ x: [Float]) -> Double {
    x.reduce(0.0) { $0 + Double($1) * Double($1) }
}

@Suite("RealFFT")
struct RealFFTTests {
    /// Error bound: every bin within 5e-7 of ‖X‖ = sqrt(n·Σx²) (the root of the spectrum's total
    /// energy), and every power bin within 1e-6 of n·Σx². Observed worst cases over n = 8...4096:
    /// 8e-8 and 1.6e-7.
    @Test("forward and power spectrum agree with the Double DFT for every size", arguments: [RealFFT.Window.rectangular, .hann])
    func matchesDFT(window: RealFFT.Window) throws {
        var random = TestRandom(seed: 40)
        for n in fftSizes {
            var plan = try RealFFT(count: n, window: window)
            #expect(plan.count == n && plan.binCount == n / 2 + 1)
            let weights = window == .hann ? RealFFT.hann(count: n) : [Float](repeating: 1, count: n)
            for trial in 0..<3 {
                // Amplitude-like series: a level plus variation, and a zero-mean one.
                let level: Float = trial == 0 ? 0 : 50
                let x = random.floats(n, in: -10...10).map { $0 + level }
                let windowed: [Float] = (0..<n).map { x[$0] * weights[$0] }
                let reference = dft(windowed)
                let energy = Double(n) * sumOfSquares(windowed)

                var re = [Float](repeating: .nan, count: n / 2 + 1)
                var im = re
                x.withUnsafeBufferPointer { src in
                    re.withUnsafeMutableBufferPointer { r in im.withUnsafeMutableBufferPointer { plan.forward(src, real: r, imaginary: $0) } }
                }
                let p = power(&plan, x)
                var worstBin = 0.0
                var worstPower = 0.0
                for k in 0...(n / 2) {
                    let dr = Double(re[k]) - reference.real[k]
                    let di = Double(im[k]) - reference.imag[k]
                    worstBin = max(worstBin, (dr * dr + di * di).squareRoot())
                    let exact = reference.real[k] * reference.real[k] + reference.imag[k] * reference.imag[k]
                    worstPower = max(worstPower, abs(Double(p[k]) - exact))
                }
                #expect(worstBin <= 5e-7 * energy.squareRoot(), "n=\(n) \(window): bin error \(worstBin / energy.squareRoot()) of ‖X‖")
                #expect(worstPower <= 1e-6 * energy, "n=\(n) \(window): power error \(worstPower / energy) of the energy")
                #expect(im[0] == 0 && im[n / 2] == 0, "n=\(n): DC and Nyquist bins are real")
            }
        }
    }

    @Test("Parseval: n·Σx² = P[0] + P[n/2] + 2·Σ P[k] for 0 < k < n/2")
    func parseval() throws {
        var random = TestRandom(seed: 41)
        for n in fftSizes {
            var plan = try RealFFT(count: n)
            let x = random.floats(n, in: -3...7)
            let p = power(&plan, x)
            let timeEnergy = Double(n) * sumOfSquares(x)
            var frequencyEnergy = Double(p[0]) + Double(p[n / 2])
            for k in 1..<(n / 2) { frequencyEnergy += 2 * Double(p[k]) }
            #expect(abs(frequencyEnergy - timeEnergy) <= 1e-5 * timeEnergy, "n=\(n): \(frequencyEnergy) vs \(timeEnergy)")
        }
    }

    @Test("a sinusoid on bin k puts its energy in bin k", arguments: [8, 64, 128, 1024])
    func pureTone(n: Int) throws {
        var plan = try RealFFT(count: n)
        let amplitude = 2.5
        let bins = n <= 128 ? Array(0...(n / 2)) : [0, 1, 2, 17, 100, 255, 256, 511, 512]
        for k in bins {
            let phase = k == 0 || k == n / 2 ? 0 : 0.7
            let x = (0..<n).map { Float(amplitude * cos(2 * Double.pi * Double(k * $0 % n) / Double(n) + phase)) }
            let p = power(&plan, x)
            // A·n/2 on interior bins; A·n on DC and Nyquist, where the tone has no negative-frequency twin.
            let peak = k == 0 || k == n / 2 ? amplitude * Double(n) : amplitude * Double(n) / 2
            #expect(abs(Double(p[k]) - peak * peak) <= 1e-5 * peak * peak, "n=\(n) k=\(k): \(p[k]) vs \(peak * peak)")
            let leak = (0...(n / 2)).filter { $0 != k }.map { Double(p[$0]) }.max() ?? 0
            #expect(leak <= 1e-9 * peak * peak, "n=\(n) k=\(k): largest other bin \(leak / (peak * peak)) of the peak")
        }
    }

    @Test("Hann: weights, and a tone spreads over k−1, k, k+1 in power ratio 1/4 : 1 : 1/4")
    func hann() throws {
        let n = 128
        let w = RealFFT.hann(count: n)
        #expect(w[0] == 0 && w[n / 2] == 1)
        #expect(abs(w.reduce(0, +) - Float(n) / 2) < 1e-4)
        #expect(abs(w.reduce(0) { $0 + $1 * $1 } - 3 * Float(n) / 8) < 1e-4)
        var plan = try RealFFT(count: n, window: .hann)
        #expect(plan.window == .hann)
        let k = 13
        let x = (0..<n).map { Float(cos(2 * Double.pi * Double(k * $0 % n) / Double(n) + 0.3)) }
        let p = power(&plan, x)
        let peak = Double(n) / 4  // A·Σw/2 with A = 1
        #expect(abs(Double(p[k]) - peak * peak) <= 1e-5 * peak * peak)
        #expect(abs(Double(p[k - 1]) / Double(p[k]) - 0.25) < 1e-5)
        #expect(abs(Double(p[k + 1]) / Double(p[k]) - 0.25) < 1e-5)
        let far = (0...(n / 2)).filter { abs($0 - k) > 1 }.map { Double(p[$0]) }.max() ?? 0
        #expect(far <= 1e-9 * peak * peak)
    }

    @Test("the textbook radix-2 reference agrees with the DFT")
    func radix2Reference() {
        var random = TestRandom(seed: 42)
        for n in [2, 4] + fftSizes {
            let x = random.floats(n, in: -10...10)
            let reference = dft(x)
            var p = [Float](repeating: .nan, count: n / 2 + 1)
            var scratchReal = [Float](repeating: 0, count: n)
            var scratchImag = scratchReal
            x.withUnsafeBufferPointer { src in
                p.withUnsafeMutableBufferPointer { out in
                    scratchReal.withUnsafeMutableBufferPointer { sr in
                        scratchImag.withUnsafeMutableBufferPointer { ScalarReference.fftPowerSpectrum(src, into: out, scratchReal: sr, scratchImag: $0) }
                    }
                }
            }
            let energy = Double(n) * sumOfSquares(x)
            var worst = 0.0
            for k in 0...(n / 2) {
                let exact = reference.real[k] * reference.real[k] + reference.imag[k] * reference.imag[k]
                worst = max(worst, abs(Double(p[k]) - exact))
            }
            #expect(worst <= 1e-6 * energy, "n=\(n): \(worst / energy)")
        }
    }

    @Test("sizes that are not powers of two in 8...4096 throw, naming the size")
    func invalidSizes() {
        for n in [-8, 0, 1, 2, 4, 6, 12, 100, 1000, 4095, 8192, 1 << 20] {
            #expect(throws: DSPError.invalidFFTSize(n)) { try RealFFT(count: n) }
            #expect(DSPError.invalidFFTSize(n).description.contains("got \(n)"))
        }
    }
}
