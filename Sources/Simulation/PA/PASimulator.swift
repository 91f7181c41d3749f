import GatewayCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// GaN PA frames from a behavioural model, with ground truth for every health and sensing event.
///
/// Per frame: an OFDM-like block (one of 16 made at start: QPSK on the bins within ±8.3 MHz of
/// the centre, inverse DFT, unit mean power) scaled to the drive power goes through
/// `RappAmplifier` at the current temperature and drain voltage; the coupler sees the output
/// plus 10 % (−20 dB directivity) of the wave the load reflects, which is what the int16 I/Q
/// block holds (full scale 46 dBm). The power readings carry 0.02 dB of detector noise. The
/// case temperature follows a first-order thermal model (20 s time constant, 3 °C/W to a 30 °C
/// ambient; 12 °C/W while the fan has failed), the drain efficiency is 0.65·sqrt(Pout/Psat).
/// A person near the antenna adds 0.04/r² (r in metres) to the load's reflection with the phase
/// of the round trip, which spins while they walk.
///
/// Ground truth is taken from the model's true state with the default `PASettings` thresholds:
/// VSWR ≥ 2, gain ≥ 1 dB below the small-signal gain at the current temperature, case ≥ 85 °C,
/// drain voltage outside 25.2–30.8 V or current above 3 A; `presence` while the person is near,
/// `motion` while they walk.
public struct PASimulator: Sendable {
    public struct Options: Sendable {
        public var seconds = 60.0
        public var rate = 100.0
        public var seed: UInt64 = 1
        public var device = DeviceID("pa-1")
        public var sampleCount = 1024
        public var sampleRateHz = 80e6
        public var centerFrequencyHz = 2.437e9
        public init() {}
    }

    public let scenario: PAScenario
    public let options: Options
    public let amplifier = RappAmplifier()
    public static let fullScaleDbm = 46.0
    static let directivity = 0.1
    static let ambientC = 30.0
    static let backoffDb = 10.0

    private var generator: SeededGenerator
    private var waveforms: [[Double]] = []
    private let startTime: Int64
    private var index = 0
    private let frames: Int
    private var temperature: Double
    private let loadPhase: Double
    private var personDistance = 2.5
    private var personDirection = -1.0
    private var truth = TruthRecorder()
    private var iq: [Int16]

    public init(scenario: PAScenario, options: Options = Options(), startTime: Int64) {
        self.scenario = scenario
        self.options = options
        self.startTime = startTime
        self.frames = Int(options.seconds * options.rate)
        var generator = SeededGenerator(seed: options.seed, stream: 0x9A)
        loadPhase = generator.nextUnit() * 2 * .pi
        self.generator = generator
        self.iq = [Int16](repeating: 0, count: 2 * options.sampleCount)
        // Start at the thermal steady state of nominal operation.
        self.temperature = 0
        self.temperature = steadyTemperature(drainVoltage: 28, thermalResistance: 3)
        waveforms = (0..<16).map { _ in Self.ofdmBlock(count: options.sampleCount, sampleRate: options.sampleRateHz, using: &self.generator) }
    }

    /// Intervals of true events so far (complete after the last frame).
    public var labels: [GroundTruthInterval] { truth.intervals(until: Double(index) / options.rate) }

    /// The nominal input power: 10 dB below the 1 dB compression point at 25 °C.
    public var nominalDriveDbm: Double { amplifier.inputP1dBm() - Self.backoffDb }

    public mutating func next() -> PAFrame? {
        guard index < frames else { return nil }
        let t = Double(index) / options.rate
        let dt = 1 / options.rate
        let drive = driveDbm(at: t) + Gaussian.sample(standardDeviation: 0.05, using: &generator)
        let vdd = scenario == .supply && t >= 20 && t < 35 ? 23.5 : 28.0
        let rth = scenario == .overtemp && t >= 10 && t < 40 ? 12.0 : 3.0
        let gainDb = amplifier.gainDb(temperatureC: temperature)
        let g = pow(10, gainDb / 20)
        let aSat = amplifier.saturationAmplitude(drainVoltage: vdd)
        let inAmplitude = pow(10, (drive - 30) / 20)

        // The load: a steady mismatch, the scenario's fault, and the person's near field.
        var gammaRe = (scenario == .vswr && t >= 20 && t < 40 ? 0.5 : 0.1) * cos(loadPhase)
        var gammaIm = (scenario == .vswr && t >= 20 && t < 40 ? 0.5 : 0.1) * sin(loadPhase)
        let near = person(at: t, dt: dt)
        if let r = near.distance {
            let a = 0.04 / (r * r)
            let phase = 4 * Double.pi * r / (299_792_458 / options.centerFrequencyHz)
            gammaRe += a * cos(phase)
            gammaIm += a * sin(phase)
        }
        let gamma = min(0.999, (gammaRe * gammaRe + gammaIm * gammaIm).squareRoot())
        let couplerRe = 1 + Self.directivity * gammaRe
        let couplerIm = Self.directivity * gammaIm

        let waveform = waveforms[Int(generator.next() % UInt64(waveforms.count))]
        let scale = 32767 / pow(10, (Self.fullScaleDbm - 30) / 20)
        var outPower = 0.0
        for k in 0..<options.sampleCount {
            let re = waveform[2 * k] * inAmplitude
            let im = waveform[2 * k + 1] * inAmplitude
            let a = (re * re + im * im).squareRoot()
            let gainHere = a > 0 ? RappAmplifier.output(a, gain: g, saturation: aSat) / a : g
            let yRe = re * gainHere
            let yIm = im * gainHere
            outPower += yRe * yRe + yIm * yIm
            let cRe = yRe * couplerRe - yIm * couplerIm
            let cIm = yRe * couplerIm + yIm * couplerRe
            iq[2 * k] = Int16(clamping: Int((cRe * scale).rounded()))
            iq[2 * k + 1] = Int16(clamping: Int((cIm * scale).rounded()))
        }
        outPower /= Double(options.sampleCount)
        let outDbm = 10 * log10(outPower) + 30
        let psat = amplifier.saturationAmplitude(drainVoltage: vdd)
        let efficiency = min(0.65, 0.65 * (outPower / (psat * psat)).squareRoot())
        let dcPower = outPower / efficiency
        let current = dcPower / vdd
        let dissipated = dcPower - outPower + inAmplitude * inAmplitude
        temperature += (Self.ambientC + rth * dissipated - temperature) * dt / 20

        let compression = gainDb - (outDbm - drive)
        let vswr = (1 + gamma) / (1 - gamma)
        truth.record(t: t, dt: dt, states: [
            ("pa_vswr", vswr >= 2), ("pa_compression", compression >= 1), ("pa_overtemp", temperature >= 85),
            ("pa_supply", vdd < 25.2 || vdd > 30.8 || current > 3),
            ("presence", near.distance != nil), ("motion", near.walking),
        ])

        let noise = { (sd: Double, g: inout SeededGenerator) in Gaussian.sample(standardDeviation: sd, using: &g) }
        let forward = outDbm + noise(0.02, &generator)
        let reflected = outDbm + 20 * log10(gamma) + noise(0.02, &generator)
        let frame = PAFrame(
            device: options.device, sequence: UInt32(truncatingIfNeeded: index),
            timestamp: startTime + Int64((t * 1_000_000).rounded()), deviceTimestamp: UInt64((t * 1_000_000).rounded()),
            centerFrequencyHz: options.centerFrequencyHz, sampleRateHz: options.sampleRateHz, iq: iq,
            iqFullScaleDbm: Float(Self.fullScaleDbm), inputPowerDbm: Float(drive + noise(0.02, &generator)),
            forwardPowerDbm: Float(forward), reflectedPowerDbm: Float(reflected),
            drainVoltage: Float(vdd + noise(0.02, &generator)), drainCurrent: Float(max(0, current + noise(0.005, &generator))),
            temperatureC: Float(temperature + noise(0.1, &generator)))
        index += 1
        return frame
    }

    /// Drive power: the power-on sweep, then nominal (or the compression scenario's overdrive).
    func driveDbm(at t: Double) -> Double {
        let nominal = nominalDriveDbm
        if t < 5 { return nominal - 10 + 2 * t }
        guard scenario == .compression else { return nominal }
        switch t {
        case 20..<26: return nominal + 2 * (t - 20)
        case 26..<40: return nominal + 12
        case 40..<45: return nominal + 12 - 12 * (t - 40) / 5
        default: return nominal
        }
    }

    /// Where the person is (nil: not near the antenna) and whether they walk.
    mutating func person(at t: Double, dt: Double) -> (distance: Double?, walking: Bool) {
        guard scenario == .motion, t >= 20, t < 45 else { return (nil, false) }
        if t < 35 {
            // Walking to and fro between 0.5 and 2.5 m at 0.8 m/s.
            personDistance += personDirection * 0.8 * dt
            if personDistance < 0.5 { personDistance = 0.5; personDirection = 1 }
            if personDistance > 2.5 { personDistance = 2.5; personDirection = -1 }
            return (personDistance, true)
        }
        return (personDistance, false)
    }

    func steadyTemperature(drainVoltage: Double, thermalResistance: Double) -> Double {
        let outDbm = nominalDriveDbm + amplifier.gainDb
        let out = pow(10, (outDbm - 30) / 10)
        let psat = amplifier.saturationAmplitude(drainVoltage: drainVoltage)
        let efficiency = min(0.65, 0.65 * (out / (psat * psat)).squareRoot())
        return Self.ambientC + thermalResistance * (out / efficiency - out)
    }

    /// One OFDM-like block: QPSK on every bin within ±8.3 MHz except DC, inverse DFT, unit mean power.
    static func ofdmBlock(count n: Int, sampleRate: Double, using generator: inout SeededGenerator) -> [Double] {
        let edge = Int(8.3e6 / (sampleRate / Double(n)))
        var bins: [(k: Int, re: Double, im: Double)] = []
        for k in -edge...edge where k != 0 {
            bins.append((k, generator.next() & 1 == 0 ? 1 : -1, generator.next() & 1 == 0 ? 1 : -1))
        }
        var block = [Double](repeating: 0, count: 2 * n)
        var power = 0.0
        for m in 0..<n {
            var re = 0.0, im = 0.0
            for bin in bins {
                let angle = 2 * Double.pi * Double(bin.k * m) / Double(n)
                let c = cos(angle), s = sin(angle)
                re += bin.re * c - bin.im * s
                im += bin.re * s + bin.im * c
            }
            block[2 * m] = re
            block[2 * m + 1] = im
            power += re * re + im * im
        }
        let norm = 1 / (power / Double(n)).squareRoot()
        for i in block.indices { block[i] *= norm }
        return block
    }
}

/// Turns per-frame true states into labelled intervals.
struct TruthRecorder: Sendable {
    private var open: [String: Double] = [:]
    private var closed: [GroundTruthInterval] = []

    mutating func record(t: Double, dt: Double, states: [(String, Bool)]) {
        for (kind, active) in states {
            if active, open[kind] == nil { open[kind] = t }
            if !active, let start = open[kind] {
                closed.append(GroundTruthInterval(kind: kind, start: start, end: t))
                open[kind] = nil
            }
        }
    }

    /// Gaps shorter than this between two intervals of one kind are bridged: a value jittering
    /// across a threshold is one episode (the detectors' hysteresis treats it as one too).
    static let bridgeSeconds = 0.5

    func intervals(until end: Double) -> [GroundTruthInterval] {
        let all = (closed + open.map { GroundTruthInterval(kind: $0.key, start: $0.value, end: end) })
            .sorted { ($0.kind, $0.start) < ($1.kind, $1.start) }
        var merged: [GroundTruthInterval] = []
        for interval in all {
            if let last = merged.last, last.kind == interval.kind, interval.start - last.end < Self.bridgeSeconds {
                merged[merged.count - 1].end = max(last.end, interval.end)
            } else {
                merged.append(interval)
            }
        }
        return merged.sorted { ($0.start, $0.kind) < ($1.start, $1.kind) }
    }
}
