import DSP
import GatewayCore

/// A short-time spectrum of a device's amplitudes, for the fall detector's speed cue.
///
/// Per frame it keeps a few subcarriers' amplitudes (`tracked`, evenly spread over the selected
/// ones) in a ring, so the per-frame cost is a copy of eight floats. At the end of a window it
/// transforms the last n frames, n the power of two covering at least `spanSeconds` at the
/// measured rate (8 to 512 frames), and sums the subcarriers' power spectra into `DopplerBands`.
///
/// Receiver gain steps (a frame level jumping by more than `DeviceAnalyzer.gainStepRatio`) would
/// look like a broadband burst: the tracker undoes each step with a running correction factor,
/// so only the channel's own fluctuations remain.
struct DopplerTracker: Sendable {
    /// Subcarriers kept per frame.
    static let tracked = 8
    /// Path speed, m/s, from which fluctuations count as fast. A falling torso reaches 2-3 m/s;
    /// a person sitting down moves under 0.5 m/s, which changes a reflected path's length
    /// (transmitter -> body -> receiver) by at most twice that.
    static let fastPathSpeed = 1.0
    /// Shortest span a spectrum covers, seconds.
    static let spanSeconds = 0.3
    static let maxFrames = 512

    private var picks: [Int] = []
    private var ring: [Float] = []
    private var times: [Int64] = []
    private var next = 0
    private var filled = 0
    private var correction: Float = 1
    private var plans: [Int: RealFFT] = [:]
    private var block: [Float] = []
    private var power: [Float] = []
    private var summed: [Float] = []
    /// The latest frame's channel and its carrier wavelength, metres.
    private var channel: UInt16 = 0
    private(set) var wavelength = 299_792_458.0 / 2_437e6

    /// Starts afresh for `selected` subcarriers (a new layout).
    mutating func reset(selected: Int) {
        let count = min(Self.tracked, selected)
        picks = count > 0 ? (0..<count).map { ($0 * 2 + 1) * selected / (2 * count) } : []
        ring = [Float](repeating: 0, count: Self.maxFrames * count)
        times = [Int64](repeating: 0, count: Self.maxFrames)
        next = 0
        filled = 0
        correction = 1
    }

    /// Adds one frame's selected amplitudes. `step` is the level ratio to the previous frame when
    /// it was a gain step (nil otherwise).
    mutating func add(_ selected: UnsafeBufferPointer<Float>, timestamp: Int64, channel: UInt16, step: Float?) {
        guard !picks.isEmpty else { return }
        if let step, step > 0 { correction /= step }
        // Keep the correction near 1 so repeated steps one way do not drift it without bound.
        if correction > 1e3 || correction < 1e-3 { correction = 1 }
        let base = next * picks.count
        for (i, k) in picks.enumerated() { ring[base + i] = selected[k] * correction }
        times[next] = timestamp
        next = (next + 1) % Self.maxFrames
        filled = min(filled + 1, Self.maxFrames)
        if channel != self.channel {
            self.channel = channel
            wavelength = Self.wavelength(channel: channel)
        }
    }

    /// The spectrum of the most recent frames; nil until enough frames arrived.
    mutating func bands() -> DopplerBands? {
        guard filled >= 8, !picks.isEmpty else { return nil }
        let recent = min(filled, 64)
        let span = Double(times[index(back: 1)] - times[index(back: recent)]) / 1_000_000
        guard span > 0 else { return nil }
        let rate = Double(recent - 1) / span
        var n = 8
        while n < Self.maxFrames, Double(n) < Self.spanSeconds * rate { n *= 2 }
        guard n <= filled else { return nil }
        if plans[n] == nil { plans[n] = try? RealFFT(count: n, window: .hann) }
        guard var plan = plans[n] else { return nil }
        let bins = n / 2 + 1
        if block.count < n { block = [Float](repeating: 0, count: n) }
        if power.count < bins { power = [Float](repeating: 0, count: bins) }
        if summed.count < bins { summed = [Float](repeating: 0, count: bins) }
        // One level for the whole block: amplitudes relative to it keep level changes (a body
        // moving changes the level, not only the shape) while staying gain-invariant.
        let first = (next - n + Self.maxFrames) % Self.maxFrames
        let stride = picks.count
        var levelSum: Float = 0
        for m in 0..<n {
            let base = ((first + m) % Self.maxFrames) * stride
            for i in 0..<stride { levelSum += ring[base + i] }
        }
        guard levelSum > 0 else { return nil }
        let scale = Float(n * stride) / levelSum
        for k in 0..<bins { summed[k] = 0 }
        for i in 0..<stride {
            var mean: Float = 0
            for m in 0..<n {
                let value = ring[((first + m) % Self.maxFrames) * stride + i] * scale
                block[m] = value
                mean += value
            }
            mean /= Float(n)
            for m in 0..<n { block[m] -= mean }
            block.withUnsafeBufferPointer { input in
                power.withUnsafeMutableBufferPointer { plan.powerSpectrum(input, into: $0) }
            }
            for k in 0..<bins { summed[k] += power[k] }
        }
        plans[n] = plan
        let actual = Double(times[index(back: 1)] - times[index(back: n)]) / 1_000_000
        let frameRate = actual > 0 ? Double(n - 1) / actual : rate
        let fastBin = Self.fastPathSpeed / wavelength * Double(n) / frameRate
        var total = 0.0
        var fast = 0.0
        for k in 1..<bins {
            let value = Double(summed[k]) / Double(n)
            total += value
            if Double(k) >= fastBin { fast += value }
        }
        return DopplerBands(total: total, fast: fast, frameRate: frameRate, seconds: actual)
    }

    private func index(back k: Int) -> Int { (next - k + Self.maxFrames) % Self.maxFrames }

    /// Carrier wavelength for a Wi-Fi channel number: 2.4 GHz for channels 1-14 (and unknown 0),
    /// 5 GHz (5000 + 5·n MHz) above.
    static func wavelength(channel: UInt16) -> Double {
        let megahertz: Double
        switch channel {
        case 14: megahertz = 2_484
        case 1...13: megahertz = 2_407 + 5 * Double(channel)
        case 32...199: megahertz = 5_000 + 5 * Double(channel)
        default: megahertz = 2_437
        }
        return 299_792_458.0 / (megahertz * 1e6)
    }
}
