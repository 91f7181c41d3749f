import Foundation
import GatewayCore
import Simulation
import Testing

@Suite("AGC steps, packet loss, rates")
struct ImpairmentTests {
    private static func amplitudes(_ frame: CSIFrame) -> [Double] {
        guard case .int8Pairs(let v) = frame.payload else { return [] }
        return (0..<v.count / 2).map { k in
            let re = Double(v[2 * k + 1])
            let im = Double(v[2 * k])
            return (re * re + im * im).squareRoot()
        }
    }

    /// Level change from one frame to the next, dB: the median over subcarriers that are neither
    /// tiny (quantisation) nor clipped in either frame.
    private static func levelChange(_ a: [Double], _ b: [Double]) -> Double? {
        var ratios: [Double] = []
        for k in a.indices where a[k] >= 8 && b[k] >= 8 && a[k] < 110 && b[k] < 110 {
            ratios.append(20 * log10(b[k] / a[k]))
        }
        guard ratios.count >= 10 else { return nil }
        return ratios.sorted()[ratios.count / 2]
    }

    @Test("AGC: steps come at the configured rate, move the level by 3 or 6 dB, and leave the RSSI alone")
    func gainSteps() {
        var options = SimulationOptions.noiseless
        options.agcStepsPerMinute = 30
        let seconds = 600.0
        let simulator = CSISimulator(scenario: .empty, seconds: seconds, rate: 20, seed: 12, startTime: 0, options: options)
        var previous: [Double]?
        var steps: [Double] = []
        var rssi: [Int16] = []
        for frame in simulator {
            let current = Self.amplitudes(frame)
            rssi.append(frame.rssi)
            if let previous, let change = Self.levelChange(previous, current), abs(change) > 1.5 { steps.append(change) }
            previous = current
        }
        let expected = 30 * seconds / 60
        // Poisson: σ = √300 ≈ 17; two steps within one 50 ms frame gap merge (or cancel).
        #expect(Double(steps.count) > expected * 0.8 && Double(steps.count) < expected * 1.2, "\(steps.count) steps, expected about \(expected)")
        let offGrid = steps.filter { abs(abs($0) - 3 * (abs($0) / 3).rounded()) > 0.5 }
        #expect(offGrid.isEmpty, "steps not a multiple of 3 dB: \(offGrid.prefix(5))")
        #expect(steps.filter { abs(abs($0) - 3) <= 0.5 }.count > steps.count / 4)
        #expect(steps.filter { abs(abs($0) - 6) <= 0.5 }.count > steps.count / 4)
        #expect(steps.allSatisfy { abs($0) <= 12.5 }, "the gain stays within ±6 dB of nominal")
        // The RSSI of a still, noiseless room only shows its 0.5 dB measurement noise.
        #expect((rssi.max() ?? 0) - (rssi.min() ?? 0) <= 5)

        let locked = CSISimulator(scenario: .empty, seconds: 60, rate: 20, seed: 12, startTime: 0, options: .noiseless)
        var last: [Double]?
        var jumps = 0
        for frame in locked {
            let current = Self.amplitudes(frame)
            if let last, let change = Self.levelChange(last, current), abs(change) > 1.5 { jumps += 1 }
            last = current
        }
        #expect(jumps == 0)
    }

    @Test("loss: the long-run fraction and burst length are as configured; sequence numbers show the gaps")
    func packetLoss() {
        var options = SimulationOptions()
        options.lossFraction = 0.1
        var simulator = CSISimulator(scenario: .walk, seconds: 600, rate: 100, seed: 3, startTime: 0, options: options)
        var sequences: [UInt32] = []
        while let frame = simulator.next() { sequences.append(frame.sequence) }
        #expect(simulator.producedFrames + simulator.lostFrames == simulator.totalFrames)
        let fraction = Double(simulator.lostFrames) / Double(simulator.totalFrames)
        #expect(abs(fraction - 0.1) < 0.015, "lost \(fraction)")
        let gaps = zip(sequences, sequences.dropFirst()).map { Int($0.1 - $0.0) - 1 }.filter { $0 > 0 }
        #expect(!gaps.isEmpty)
        let meanBurst = Double(gaps.reduce(0, +)) / Double(gaps.count)
        #expect(meanBurst > 2.5 && meanBurst < 3.5, "mean burst \(meanBurst) frames")
        #expect(gaps.reduce(0, +) + (Int(sequences.first ?? 0)) + (59_999 - Int(sequences.last ?? 0)) == simulator.lostFrames)
    }

    @Test("the frames that survive loss are exactly those of the run without it")
    func lossOnlyRemovesFrames() {
        var lossy = SimulationOptions()
        lossy.lossFraction = 0.3
        lossy.lossBurstLength = 5
        let all = Array(CSISimulator(scenario: .walk, seconds: 5, devices: 2, seed: 9, startTime: 0))
        let kept = Array(CSISimulator(scenario: .walk, seconds: 5, devices: 2, seed: 9, startTime: 0, options: lossy))
        #expect(kept.count < all.count * 85 / 100 && kept.count > all.count / 2)
        let byKey = Dictionary(uniqueKeysWithValues: all.map { ("\($0.device.rawValue)/\($0.sequence)", $0) })
        #expect(kept.allSatisfy { byKey["\($0.device.rawValue)/\($0.sequence)"] == $0 })
    }

    @Test("impaired runs are deterministic per seed and keep the ground truth and the person's path")
    func determinismAndLabels() {
        let options = SimulationOptions(band: .ghz5, bandwidth: .mhz40, agcStepsPerMinute: 20, lossFraction: 0.05)
        for scenario in [ScenarioName.fall, .emptyWalkEmpty] {
            let a = CSISimulator(scenario: scenario, seconds: 12, devices: 2, seed: 77, startTime: 0, options: options)
            let b = CSISimulator(scenario: scenario, seconds: 12, devices: 2, seed: 77, startTime: 0, options: options)
            let c = CSISimulator(scenario: scenario, seconds: 12, devices: 2, seed: 78, startTime: 0, options: options)
            let plain = CSISimulator(scenario: scenario, seconds: 12, devices: 2, seed: 77, startTime: 0)
            #expect(FrameDigest.of(a) == FrameDigest.of(b))
            #expect(FrameDigest.of(a) != FrameDigest.of(c))
            #expect(a.labels == plain.labels)
            #expect(a.labels == scenario.labels(seconds: 12))

            // The person is where the run without AGC steps and loss has them at every frame that
            // arrives. (Another bandwidth draws noise for more subcarriers, so its jitter, and
            // with it the times the same path is sampled at, differ.)
            var impaired = a
            var reference = CSISimulator(scenario: scenario, seconds: 12, devices: 2, seed: 77, startTime: 0,
                                         options: SimulationOptions(band: .ghz5, bandwidth: .mhz40))
            var bodies: [String: Body?] = [:]
            while let frame = reference.next() {
                let device = reference.deviceIDs.firstIndex(of: frame.device) ?? 0
                bodies["\(frame.device.rawValue)/\(frame.sequence)"] = reference.lastBody(device: device)
            }
            var compared = 0
            while let frame = impaired.next() {
                let device = impaired.deviceIDs.firstIndex(of: frame.device) ?? 0
                #expect(bodies["\(frame.device.rawValue)/\(frame.sequence)"] == impaired.lastBody(device: device))
                compared += 1
            }
            #expect(compared > 2_000)
        }
    }

    @Test("rates from 20 to 1000 frames/s: counts, order and spacing", arguments: [20.0, 1000.0])
    func rates(rate: Double) {
        let seconds = rate >= 1000 ? 5.0 : 30.0
        let simulator = CSISimulator(scenario: .walk, seconds: seconds, rate: rate, devices: 2, seed: 4, startTime: 0)
        let frames = Array(simulator)
        let perDevice = Int(seconds * rate)
        #expect(frames.count == 2 * perDevice)
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.0.timestamp <= $0.1.timestamp })
        let period = 1_000_000 / rate
        for id in simulator.deviceIDs {
            let own = frames.filter { $0.device == id }
            #expect(own.map(\.sequence) == (0..<perDevice).map { UInt32($0) })
            let gaps = zip(own, own.dropFirst()).map { Double($0.1.timestamp - $0.0.timestamp) }
            #expect(gaps.allSatisfy { $0 >= 0.9 * period - 1 && $0 <= 1.1 * period + 1 }, "\(id): \(gaps.min() ?? 0)...\(gaps.max() ?? 0) µs")
            let mean = gaps.reduce(0, +) / Double(gaps.count)
            #expect(abs(mean - period) < 0.01 * period)
        }
    }
}
