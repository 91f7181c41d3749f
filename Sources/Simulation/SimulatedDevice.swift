#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GatewayCore

/// One simulated node: its channel, the person in its room, its clock, its receiver gain, the
/// link's losses and its frame counter.
struct SimulatedDevice: Sendable {
    let id: DeviceID
    let model: ChannelModel
    private let format: FrameFormat
    private var walker: Walker
    private var generator: SeededGenerator
    private var gainSteps: GainSteps
    private var loss: LossChannel
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
    private var responseRe: [Double]
    private var responseIm: [Double]
    /// The received values per buffer position, scaled to the payload's units, before rounding.
    private var outputRe: [Double]
    private var outputIm: [Double]
    /// Buffer positions that carry energy, in buffer order.
    private let activeBins: [Bool]

    /// Random streams per device (`device << 8 | n`): 1 the room and clock, 2 the person, 3 timing,
    /// phase, noise and RSSI, 4 the AGC's steps, 5 the losses. Each option draws from its own
    /// stream, so turning one on leaves every other number of the run as it was.
    init(index device: Int, of devices: Int, scenario: ScenarioName, seconds: Double, frames: Int,
         period: Double, seed: UInt64, options: SimulationOptions, format: FrameFormat) {
        let number = device + 1
        id = DeviceID(number < 10 ? "sim-0\(number)" : "sim-\(number)")
        let stream = UInt64(device) << 8
        var geometry = SeededGenerator(seed: seed, stream: stream | 1)
        model = ChannelModel.random(using: &geometry, format: format)
        self.format = format
        walker = Walker(model: model, scenario: scenario, seconds: seconds,
                        generator: SeededGenerator(seed: seed, stream: stream | 2))
        generator = SeededGenerator(seed: seed, stream: stream | 3)
        gainSteps = GainSteps(rate: options.agcStepsPerMinute / 60, generator: SeededGenerator(seed: seed, stream: stream | 4))
        loss = LossChannel(loss: options.lossFraction, burst: options.lossBurstLength,
                           generator: SeededGenerator(seed: seed, stream: stream | 5))
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
        let bins = format.bins
        responseRe = [Double](repeating: 0, count: bins)
        responseIm = [Double](repeating: 0, count: bins)
        outputRe = [Double](repeating: 0, count: bins)
        outputIm = [Double](repeating: 0, count: bins)
        activeBins = format.activeBins
        nextTime = frames > 0 ? scheduledTime(0) : .infinity
    }

    /// Nominal time of frame n plus jitter, never before the start.
    private mutating func scheduledTime(_ n: Int) -> Double {
        let shift = jitter > 0 ? generator.nextDouble(in: -jitter...jitter) : 0
        return max(0, Double(n) * period + offset + shift * period)
    }

    /// The frame due at `nextTime`, or nil when the link lost it; advances to the next one.
    /// A lost frame is simulated all the same (so the frames that arrive are exactly those of the
    /// run without loss) and still takes its sequence number, leaving a gap the gateway can see.
    mutating func makeFrame(startTime: Int64) -> CSIFrame? {
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
        // The AGC's step scales what the receiver reports, noise included; 1 when it is locked.
        let scale = gainSteps.factor(at: t) * format.payloadScale
        var magnitudeSum = 0.0
        var activeCount = 0
        for k in 0..<activeBins.count {
            guard activeBins[k] else {
                outputRe[k] = 0
                outputIm[k] = 0
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
            outputRe[k] = re * scale
            outputIm[k] = im * scale
        }
        // RSSI follows the wideband power at the antenna: the device's level plus the change the
        // body makes, measured at the nominal gain (an AGC step does not change the power).
        let meanLevel = magnitudeSum / Double(max(activeCount, 1))
        let reference = model.gain * model.meanStaticMagnitude
        let change = meanLevel > 0 && reference > 0 ? 20 * log10(meanLevel / reference) : 0
        let rssi = (baseRSSI + change + Gaussian.sample(standardDeviation: 0.5, using: &generator)).rounded()

        let micros = Int64((t * 1_000_000).rounded())
        let sequence = UInt32(truncatingIfNeeded: index)
        index += 1
        nextTime = index < frames ? scheduledTime(index) : .infinity
        if loss.nextLost() { return nil }
        return CSIFrame(
            device: id, sequence: sequence,
            timestamp: startTime + micros,
            deviceTimestamp: UInt32(truncatingIfNeeded: micros &+ Int64(clockOffset)),
            rssi: Int16(min(max(rssi, -100), -10)), noiseFloor: -95, channel: format.channel,
            bandwidth: format.bandwidth, layout: format.layout, payload: payload())
    }

    /// The output values as the format stores them: ESP32 (imaginary, real) int8 pairs, or
    /// Nexmon-style (real, imaginary) floats rounded to int16 values.
    private func payload() -> CSIPayload {
        let count = outputRe.count
        if format.complexPayload {
            return .complex([Float](unsafeUninitializedCapacity: 2 * count) { buffer, initialized in
                for k in 0..<count {
                    buffer[2 * k] = Self.quantizeInt16(outputRe[k])
                    buffer[2 * k + 1] = Self.quantizeInt16(outputIm[k])
                }
                initialized = 2 * count
            })
        }
        return .int8Pairs([Int8](unsafeUninitializedCapacity: 2 * count) { buffer, initialized in
            for k in 0..<count {
                buffer[2 * k] = Self.quantize(outputIm[k])  // ESP32 order: imaginary, then real
                buffer[2 * k + 1] = Self.quantize(outputRe[k])
            }
            initialized = 2 * count
        })
    }

    /// Rounded to the nearest integer (halves away from zero) and clamped to int8.
    static func quantize(_ value: Double) -> Int8 {
        Int8(min(max(value.rounded(), -128), 127))
    }

    /// Rounded and clamped to the int16 range a Broadcom chip reports, as a float.
    static func quantizeInt16(_ value: Double) -> Float {
        Float(min(max(value.rounded(), -32_768), 32_767))
    }
}
