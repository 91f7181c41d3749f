import GatewayCore
@testable import Inference
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every quantity `PAMeter` computes, against its closed form on synthetic frames.
@Suite struct PAMeterTests {
    static func frame(iq: [Int16] = [Int16](repeating: 1000, count: 2048), fullScale: Float = 40, input: Float = 10,
                      forward: Float = 30, reflected: Float = 10, volts: Float = 28, amps: Float = 1,
                      celsius: Float = 45, sampleRate: Double = 80e6, time: Int64 = 0) -> PAFrame {
        PAFrame(device: "pa", sequence: 0, timestamp: time, centerFrequencyHz: 2.437e9, sampleRateHz: sampleRate, iq: iq,
                iqFullScaleDbm: fullScale, inputPowerDbm: input, forwardPowerDbm: forward, reflectedPowerDbm: reflected,
                drainVoltage: volts, drainCurrent: amps, temperatureC: celsius)
    }

    func measure(_ frame: PAFrame, settings: PASettings = PASettings()) -> PAMeasurement {
        var meter = PAMeter()
        var curve = AMAMCurve()
        return meter.measure(frame, settings: settings, curve: &curve)
    }

    @Test func vswrAndReturnLossFromForwardAndReflectedPower() {
        for gamma in [0.01, 0.05, 0.2, 1.0 / 3, 0.5, 0.8, 0.95] {
            let forward: Float = 33
            let reflected = forward + Float(20 * log10(gamma))
            let m = measure(Self.frame(forward: forward, reflected: reflected))
            let vswr = (1 + gamma) / (1 - gamma)
            #expect(abs(m.vswr / vswr - 1) < 0.01, "Γ \(gamma): VSWR \(m.vswr) vs \(vswr)")
            #expect(abs(m.reflectionCoefficient - gamma) < 0.001 * max(1, gamma * 10))
            #expect(abs(m.returnLossDb - -20 * log10(gamma)) < 0.001)
        }
    }

    @Test func aFullReflectionGivesALargeFiniteVSWR() {
        let m = measure(Self.frame(forward: 30, reflected: 30.3))
        #expect(m.vswr.isFinite && m.vswr > 1000)
    }

    @Test func rmsPeakAndPAPROfAConstantEnvelopeAndOfATwoLevelBlock() {
        // A constant envelope of amplitude 16384: RMS = peak, PAPR 0 dB.
        let n = 1024
        var iq = [Int16](repeating: 0, count: 2 * n)
        for m in 0..<n {
            let angle = 2 * Double.pi * Double(7 * m) / Double(n)
            iq[2 * m] = Int16((16384 * cos(angle)).rounded())
            iq[2 * m + 1] = Int16((16384 * sin(angle)).rounded())
        }
        let constant = measure(Self.frame(iq: iq, fullScale: 40))
        let expected = 40 + 20 * log10(16384.0 / 32767)
        #expect(abs(constant.rmsPowerDbm - expected) < 0.01)
        #expect(abs(constant.paprDb) < 0.01)
        // One sample in 64 at 8x the amplitude of the rest: PAPR = 64 / (63/64 + 1) (power units).
        var pulses = [Int16](repeating: 0, count: 2 * n)
        for m in 0..<n { pulses[2 * m] = m % 64 == 0 ? 16000 : 2000 }
        let p = measure(Self.frame(iq: pulses))
        let mean = (63.0 * 2000 * 2000 + 16000.0 * 16000) / 64
        #expect(abs(p.paprDb - 10 * log10(16000.0 * 16000 / mean)) < 0.01)
    }

    @Test func gainAndDrainEfficiency() {
        let m = measure(Self.frame(input: 12, forward: 40, volts: 28, amps: 0.5))
        #expect(abs(m.gainDb - 28) < 1e-9)
        // 40 dBm = 10 W out of 14 W drawn.
        #expect(abs((m.drainEfficiency ?? 0) - 10.0 / 14) < 1e-4)
        #expect(measure(Self.frame(amps: 0)).drainEfficiency == nil)
    }

    /// Tones on bin centres at known powers: ACPR = 10·log10(P_adjacent / P_channel).
    @Test func acprOfAKnownSpectrum() throws {
        let n = 1024
        let fs = 80e6
        let binHz = fs / Double(n)
        for (upperDb, lowerDb) in [(-30.0, -45.0), (-45.0, -38.0), (-55.0, -60.0), (-20.0, -20.0)] {
            // Channel: 40 tones of equal power within ±9 MHz; adjacent: 10 tones each within 12–28 MHz / −28–−12 MHz.
            var tones: [(bin: Int, amplitude: Double)] = []
            let channelBins = stride(from: -100, through: 100, by: 5).filter { $0 != 0 }
            for k in channelBins { tones.append((k, 1)) }
            let upperBins = stride(from: Int(12e6 / binHz), through: Int(28e6 / binHz), by: 20).map { $0 }
            let lowerBins = upperBins.map { -$0 }
            let channelPower = Double(channelBins.count)
            for k in upperBins { tones.append((k, (channelPower * pow(10, upperDb / 10) / Double(upperBins.count)).squareRoot())) }
            for k in lowerBins { tones.append((k, (channelPower * pow(10, lowerDb / 10) / Double(lowerBins.count)).squareRoot())) }
            var x = [Double](repeating: 0, count: 2 * n)
            for (k, a) in tones {
                let phase = Double(k * 7919 % 360) * Double.pi / 180
                for m in 0..<n {
                    let angle = 2 * Double.pi * Double(k * m) / Double(n) + phase
                    x[2 * m] += a * cos(angle)
                    x[2 * m + 1] += a * sin(angle)
                }
            }
            let peak = x.map(abs).max() ?? 1
            let iq = x.map { Int16((($0 / peak) * 30000).rounded()) }
            let m = measure(Self.frame(iq: iq, sampleRate: fs))
            let expected = max(upperDb, lowerDb)
            let acpr = try #require(m.acprDb)
            #expect(abs(acpr - expected) < 0.5, "upper \(upperDb) lower \(lowerDb): ACPR \(acpr)")
        }
    }

    @Test func acprNeedsTheAdjacentChannelsBelowNyquist() {
        // 40 MS/s cannot see a channel reaching 30 MHz.
        #expect(measure(Self.frame(sampleRate: 40e6)).acprDb == nil)
        // Blocks under 64 samples are too short for a spectrum.
        #expect(measure(Self.frame(iq: [Int16](repeating: 5, count: 64))).acprDb == nil)
    }
}
