import DSP
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The GaN PA kernels against their scalar references and closed forms.
@Suite struct PAKernelTests {
    private func convert(_ iq: [Int16]) -> (floats: [Float], power: IQBlock.Power) {
        var out = [Float](repeating: .nan, count: iq.count)
        let power = iq.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { IQBlock.convert(src, into: $0) } }
        return (out, power)
    }

    @Test func iqConversionMatchesTheScalarReference() {
        var rng = SystemRandomNumberGenerator()
        for samples in [0, 1, 7, 8, 9, 63, 1024, 1031] {
            var iq = (0..<(2 * samples)).map { _ in Int16.random(in: .min ... .max, using: &rng) }
            if samples >= 2 { iq[0] = .min; iq[1] = .max; iq[2] = -1; iq[3] = 0 }
            let (floats, power) = convert(iq)
            var reference = [Float](repeating: .nan, count: iq.count)
            let expected = iq.withUnsafeBufferPointer { src in reference.withUnsafeMutableBufferPointer { ScalarReference.iqConvert(src, into: $0) } }
            #expect(floats == reference, "samples \(samples)")
            #expect(power.samples == samples)
            #expect(abs(Double(power.sum) - expected.sum) <= 1e-5 * max(1, expected.sum), "sum, samples \(samples)")
            #expect(abs(Double(power.peak) - expected.peak) <= 1e-6 * max(1, expected.peak), "peak, samples \(samples)")
        }
    }

    @Test func complexFFTMatchesTheDoubleDFT() throws {
        var rng = SystemRandomNumberGenerator()
        for n in [4, 8, 16, 32, 64, 256, 1024] {
            for window in [RealFFT.Window.rectangular, .hann] {
                let x = (0..<(2 * n)).map { _ in Float.random(in: -1000...1000, using: &rng) }
                var plan = try ComplexFFT(count: n, window: window)
                var got = [Float](repeating: .nan, count: n)
                x.withUnsafeBufferPointer { src in got.withUnsafeMutableBufferPointer { plan.powerSpectrum(src, into: $0) } }
                let weights = window == .hann ? ComplexFFT.hann(count: n) : nil
                let expected = x.withUnsafeBufferPointer { ScalarReference.complexDFTPower($0, weights: weights) }
                let scale = expected.reduce(0, +) / Double(n)
                for k in 0..<n {
                    #expect(abs(Double(got[k]) - expected[k]) <= 2e-5 * scale, "N \(n) \(window) bin \(k): \(got[k]) vs \(expected[k])")
                }
            }
        }
    }

    @Test func aComplexToneLandsOnItsBin() throws {
        let n = 256
        for k in [0, 1, 37, 128, 200, 255] {
            let amplitude: Float = 3
            var x = [Float](repeating: 0, count: 2 * n)
            for m in 0..<n {
                let angle = 2 * Double.pi * Double(k * m) / Double(n)
                x[2 * m] = amplitude * Float(cos(angle))
                x[2 * m + 1] = amplitude * Float(sin(angle))
            }
            var plan = try ComplexFFT(count: n)
            var power = [Float](repeating: 0, count: n)
            x.withUnsafeBufferPointer { src in power.withUnsafeMutableBufferPointer { plan.powerSpectrum(src, into: $0) } }
            let expected = Double(amplitude) * Double(n)
            #expect(abs(Double(power[k]).squareRoot() / expected - 1) < 1e-5, "bin \(k)")
            let elsewhere = power.enumerated().filter { $0.offset != k }.map(\.element).max() ?? 0
            #expect(Double(elsewhere) < 1e-8 * expected * expected)
        }
    }

    @Test func theScalarFFTBaselineAgreesToo() {
        var rng = SystemRandomNumberGenerator()
        let n = 512
        let x = (0..<(2 * n)).map { _ in Float.random(in: -1...1, using: &rng) }
        var re = [Float](repeating: 0, count: n), im = re, power = re
        x.withUnsafeBufferPointer { src in
            re.withUnsafeMutableBufferPointer { r in
                im.withUnsafeMutableBufferPointer { i in
                    power.withUnsafeMutableBufferPointer { ScalarReference.complexFFTPower(src, into: $0, scratchReal: r, scratchImag: i) }
                }
            }
        }
        let expected = x.withUnsafeBufferPointer { ScalarReference.complexDFTPower($0) }
        let scale = expected.reduce(0, +) / Double(n)
        for k in 0..<n { #expect(abs(Double(power[k]) - expected[k]) <= 1e-4 * scale) }
    }

    @Test func rejectsSizesThatAreNotPowersOfTwo() {
        #expect(throws: DSPError.self) { try ComplexFFT(count: 100) }
        #expect(throws: DSPError.self) { try ComplexFFT(count: 4096) }
    }
}
