#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GatewayCore

/// One simulated ESP32: its channel, the person in its room, its clock and its frame counter.
struct SimulatedDevice: Sendable {
    let id: DeviceID
    let model: ChannelModel
    private var walker: Walker
    private var generator: SeededGenerator
    private let frames: Int
    private let period: Double
    private let offset: Double
    private let jitter: Double
    private let clockOffset: UInt32
    private let baseRSSI: Double
    /// Noise standard deviation per component, int8 units (0: none).
    private let noiseSigma: Double
    private let randomCommonPhase: Bool
    private var index = 0
    /// Seconds from the start of the run of the next frame; infinity when done.
    private(set) var nextTime = Double.infinity
    private(set) var lastBody: Body?
    private var responseRe = [Double](repeating: 0, count: ChannelModel.bins)
    private var responseIm = [Double](repeating: 0, count: ChannelModel.bins)

    /// Buffer positions that carry energy, in FFT order.
    private static let activeBins = (0..<ChannelModel.bins).map { ChannelModel.isActive(bin: $0) }

    init(index device: Int, of devices: Int, scenario: ScenarioName, seconds: Double, frames: Int,
         period: Double, seed: UInt64, options: SimulationOptions) {
        let number = device + 1
        id = DeviceID(number < 10 ? "sim-0\(number)" : "sim-\(number)")
        let stream = UInt64(device) << 8
        var geometry = SeededGenerator(seed: seed, stream: stream | 1)
        model = ChannelModel.random(using: &geometry)
        walker = Walker(model: model, scenario: scenario, seconds: seconds,
                        generator: SeededGenerator(seed: seed, stream: stream | 2))
        generator = SeededGenerator(seed: seed, stream: stream | 3)
        self.frames = frames
        self.period = period
        offset = period * Double(device) / Double(max(devices, 1))
        jitter = options.timingJitter
        clockOffset = UInt32(truncatingIfNeeded: geometry.next())
        baseRSSI = geometry.nextDouble(in: -58 ... -42)
        if let snr = options.snrDB, snr.isFinite {
            let level = model.gain * model.meanStaticMagnitude
            noiseSigma = level / (2.0.squareRoot() * pow(10, snr / 20))
        } else {
            noiseSigma = 0
        }
        randomCommonPhase = options.randomCommonPhase
        nextTime = frames > 0 ? scheduledTime(0) : .infinity
    }

    /// Nominal time of frame n plus jitter, never before the start.
    private mutating func scheduledTime(_ n: Int) -> Double {
        let shift = jitter > 0 ? generator.nextDouble(in: -jitter...jitter) : 0
        return max(0, Double(n) * period + offset + shift * period)
    }

    /// The frame due at `nextTime`; advances to the next one.
    mutating func makeFrame(startTime: Int64) -> CSIFrame {
        let t = nextTime
        let body = walker.body(at: t)
        lastBody = body
        let model = self.model
        responseRe.withUnsafeMutableBufferPointer { re in
            responseIm.withUnsafeMutableBufferPointer { im in model.response(body: body, re: re, im: im) }
        }
        var rotationCos = model.gain
        var rotationSin = 0.0
        if randomCommonPhase {
            let angle = 2 * Double.pi * generator.nextUnit()
            rotationCos = model.gain * cos(angle)
            rotationSin = model.gain * sin(angle)
        }
        var magnitudeSum = 0.0
        var activeCount = 0
        let payload = [Int8](unsafeUninitializedCapacity: 2 * ChannelModel.bins) { buffer, count in
            for k in 0..<ChannelModel.bins {
                guard Self.activeBins[k] else {
                    buffer[2 * k] = 0
                    buffer[2 * k + 1] = 0
                    continue
                }
                var re = responseRe[k] * rotationCos - responseIm[k] * rotationSin
                var im = responseRe[k] * rotationSin + responseIm[k] * rotationCos
                magnitudeSum += (re * re + im * im).squareRoot()
                activeCount += 1
                if noiseSigma > 0 {
                    let (a, b) = Gaussian.pair(using: &generator)
                    re += noiseSigma * a
                    im += noiseSigma * b
                }
                buffer[2 * k] = Self.quantize(im)  // ESP32 order: imaginary, then real
                buffer[2 * k + 1] = Self.quantize(re)
            }
            count = 2 * ChannelModel.bins
        }
        // RSSI follows the wideband power: the device's level plus the change the body makes.
        let meanLevel = magnitudeSum / Double(max(activeCount, 1))
        let reference = model.gain * model.meanStaticMagnitude
        let change = meanLevel > 0 && reference > 0 ? 20 * log10(meanLevel / reference) : 0
        let rssi = (baseRSSI + change + Gaussian.sample(standardDeviation: 0.5, using: &generator)).rounded()

        let micros = Int64((t * 1_000_000).rounded())
        let frame = CSIFrame(
            device: id, sequence: UInt32(truncatingIfNeeded: index),
            timestamp: startTime + micros,
            deviceTimestamp: UInt32(truncatingIfNeeded: micros &+ Int64(clockOffset)),
            rssi: Int16(min(max(rssi, -100), -10)), noiseFloor: -95, channel: 6,
            bandwidth: .mhz20, layout: .lltf, payload: .int8Pairs(payload))
        index += 1
        nextTime = index < frames ? scheduledTime(index) : .infinity
        return frame
    }

    /// Rounded to the nearest integer (halves away from zero) and clamped to int8.
    static func quantize(_ value: Double) -> Int8 {
        Int8(min(max(value.rounded(), -128), 127))
    }
}
