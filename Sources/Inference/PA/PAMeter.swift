import DSP
import Foundation
import GatewayCore

/// Computes a `PAMeasurement` from each GaN PA frame. One per device (it keeps scratch buffers
/// and FFT plans, so no frame allocates once the block size has been seen).
///
/// ACPR: the block's first N samples (N the largest power of two up to 1,024 that fits) go
/// through a Hann-windowed complex FFT. The channel is the band within ±B/2 of the centre
/// (B = `channelBandwidthHz`), each adjacent channel the band of width B centred
/// `adjacentOffsetHz` above or below; ACPR is the larger adjacent power over the channel's, in
/// dB. The Hann window keeps a channel's leakage into its neighbour below −60 dBc from a few
/// bins past the edge.
public struct PAMeter: Sendable {
    public static let maxSpectrumSamples = 1024
    public static let minSpectrumSamples = 64

    private var samples: [Float] = []
    private var power: [Float] = []
    private var fft: ComplexFFT?
    /// Bin ranges for the last (N, sample rate, settings), recomputed only when one changes.
    private var bands: Bands?

    struct Bands: Sendable {
        var count: Int
        var sampleRate: Double
        var bandwidth: Double
        var offset: Double
        /// Channel bins: 0...mainUpper and (count - mainUpper)..<count.
        var mainUpper: Int
        var adjacent: ClosedRange<Int>?
    }

    public init() {}

    /// Full-scale complex sample power in int16 units: |I + jQ| = 32767.
    static let fullScale: Double = 32767 * 32767

    public mutating func measure(_ frame: PAFrame, settings: PASettings, curve: inout AMAMCurve) -> PAMeasurement {
        let count = frame.sampleCount
        if samples.count < 2 * count { samples = [Float](repeating: 0, count: 2 * count) }
        let block = frame.iq.withUnsafeBufferPointer { iq in
            samples.withUnsafeMutableBufferPointer { IQBlock.convert(iq, into: $0) }
        }
        let fullScaleDbm = Double(frame.iqFullScaleDbm)
        let meanPower = Double(block.mean)
        let rmsDbm = meanPower > 0 ? 10 * log10(meanPower / Self.fullScale) + fullScaleDbm : -200
        let peakDbm = block.peak > 0 ? 10 * log10(Double(block.peak) / Self.fullScale) + fullScaleDbm : -200
        let forward = Double(frame.forwardPowerDbm)
        let reflected = Double(frame.reflectedPowerDbm)
        let input = Double(frame.inputPowerDbm)
        let mismatch = PAMeasurement.mismatch(forwardDbm: forward, reflectedDbm: reflected)
        let gain = forward - input
        curve.add(inputDbm: input, gainDb: gain)
        let dcPower = Double(frame.drainVoltage) * Double(frame.drainCurrent)
        return PAMeasurement(
            time: frame.timestamp, rmsPowerDbm: rmsDbm, peakPowerDbm: peakDbm,
            paprDb: meanPower > 0 ? peakDbm - rmsDbm : 0,
            forwardPowerDbm: forward, reflectedPowerDbm: reflected, inputPowerDbm: input,
            returnLossDb: mismatch.returnLossDb, reflectionCoefficient: mismatch.gamma, vswr: mismatch.vswr,
            gainDb: gain,
            compressionDb: settings.smallSignalGainDb.map { $0 - gain } ?? curve.compression(gainDb: gain),
            drainEfficiency: dcPower > 0 ? PAMeasurement.watts(dbm: forward) / dcPower : nil,
            acprDb: acpr(count: count, sampleRate: frame.sampleRateHz, settings: settings),
            iqOffsetDb: rmsDbm - forward,
            temperatureC: Double(frame.temperatureC), drainVoltage: Double(frame.drainVoltage),
            drainCurrent: Double(frame.drainCurrent))
    }

    /// ACPR of the converted block in `samples`; nil when it cannot be measured.
    private mutating func acpr(count: Int, sampleRate: Double, settings: PASettings) -> Double? {
        guard count >= Self.minSpectrumSamples else { return nil }
        var n = Self.maxSpectrumSamples
        while n > count { n /= 2 }
        if bands?.count != n || bands?.sampleRate != sampleRate || bands?.bandwidth != settings.channelBandwidthHz
            || bands?.offset != settings.adjacentOffsetHz {
            bands = Self.bands(count: n, sampleRate: sampleRate, bandwidth: settings.channelBandwidthHz, offset: settings.adjacentOffsetHz)
        }
        guard let bands, let adjacent = bands.adjacent else { return nil }
        if fft?.count != n {
            fft = try? ComplexFFT(count: n, window: .hann)
            power = [Float](repeating: 0, count: n)
        }
        // Taken out and put back so the plan's scratch is uniquely referenced (no copy per frame).
        guard var plan = fft.take() else { return nil }
        samples.withUnsafeBufferPointer { input in
            power.withUnsafeMutableBufferPointer { plan.powerSpectrum(UnsafeBufferPointer(rebasing: input[0..<(2 * n)]), into: $0) }
        }
        fft = plan
        return power.withUnsafeBufferPointer { p -> Double? in
            var main = Double(Vector.sum(UnsafeBufferPointer(rebasing: p[0...bands.mainUpper])))
            main += Double(Vector.sum(UnsafeBufferPointer(rebasing: p[(n - bands.mainUpper)..<n])))
            let upper = Double(Vector.sum(UnsafeBufferPointer(rebasing: p[adjacent])))
            let lower = Double(Vector.sum(UnsafeBufferPointer(rebasing: p[(n - adjacent.upperBound)...(n - adjacent.lowerBound)])))
            guard main > 0 else { return nil }
            return 10 * log10(max(upper, lower, .leastNonzeroMagnitude) / main)
        }
    }

    /// Bin k is at frequency k·fs/N (k < N/2) or (k − N)·fs/N; a bin belongs to a band when its
    /// centre is inside it.
    static func bands(count n: Int, sampleRate fs: Double, bandwidth: Double, offset: Double) -> Bands {
        let binHz = fs / Double(n)
        let mainUpper = min(n / 2 - 1, Int((bandwidth / 2 / binHz).rounded(.down)))
        // A bin on the shared edge belongs to the channel, not to its neighbour.
        let low = max(mainUpper + 1, Int(((offset - bandwidth / 2) / binHz).rounded(.up)))
        let high = Int(((offset + bandwidth / 2) / binHz).rounded(.down))
        // Both adjacent channels must lie below the Nyquist frequency and clear of the main band.
        let fits = high < n / 2 && low <= high
        return Bands(count: n, sampleRate: fs, bandwidth: bandwidth, offset: offset, mainUpper: mainUpper,
                     adjacent: fits ? max(low, 1)...high : nil)
    }
}
