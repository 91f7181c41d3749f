import GatewayCore
import Inference
@testable import Simulation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The PA detectors against the simulator's ground truth, and the AM/AM curve against Rapp's
/// closed form.
@Suite struct PAScenarioTests {
    /// Runs a whole scenario through the pipeline; returns closed events and the truth.
    static func run(_ scenario: PAScenario, seed: UInt64) -> (events: [SensingEvent], truth: [GroundTruthInterval], start: Int64) {
        var options = PASimulator.Options()
        options.seed = seed
        // 256-sample blocks keep the debug-build test quick; the detectors see the same physics.
        options.sampleCount = 256
        let start: Int64 = 1_767_225_600_000_000
        var simulator = PASimulator(scenario: scenario, options: options, startTime: start)
        var pipeline = SensingPipeline()
        var output = SensingPipeline.Output()
        var events: [SensingEvent] = []
        while let frame = simulator.next() {
            pipeline.process(frame, into: &output)
            events += output.events.filter { $0.end != nil }
            output.removeAll()
        }
        pipeline.finish(into: &output)
        events += output.events.filter { $0.end != nil }
        return (events, simulator.labels, start)
    }

    /// Every true interval is matched by exactly one event of its kind that overlaps it (with 1 s
    /// of slack for hold times and hysteresis), and every event matches a true interval.
    @Test(arguments: PAScenario.allCases)
    func eventsMatchTheGroundTruth(_ scenario: PAScenario) {
        for seed: UInt64 in [1, 2] {
            let (events, truth, start) = Self.run(scenario, seed: seed)
            func overlaps(_ e: SensingEvent, _ t: GroundTruthInterval) -> Bool {
                let s = Double(e.start - start) / 1e6, end = Double((e.end ?? e.start) - start) / 1e6
                return e.kind.rawValue == t.kind && s < t.end + 1 && end > t.start - 1
            }
            for t in truth {
                let matching = events.filter { overlaps($0, t) }
                #expect(matching.count == 1, "\(scenario) seed \(seed): \(t.kind) \(t.start)-\(t.end) matched by \(matching.count) events")
            }
            for e in events where !truth.contains(where: { overlaps(e, $0) }) {
                Issue.record("\(scenario) seed \(seed): spurious \(e.kind) at \(Double(e.start - start) / 1e6) s")
            }
            if scenario != .nominal { #expect(!truth.isEmpty, "\(scenario) has something to find") }
        }
    }

    /// A constant-envelope drive sweep through the Rapp model: the curve's 1 dB compression
    /// point is within 0.2 dB of the closed form.
    @Test func compressionPointMatchesRappsClosedForm() {
        let amplifier = RappAmplifier()
        let g = pow(10, amplifier.gainDb / 20)
        let aSat = amplifier.saturationAmplitude(drainVoltage: 28)
        var curve = AMAMCurve()
        var input = -20.0
        while input <= 20 {
            let a = pow(10, (input - 30) / 20)
            let out = RappAmplifier.output(a, gain: g, saturation: aSat)
            curve.add(inputDbm: input, gainDb: 20 * log10(out / a))
            input += 0.05
        }
        let analytic = amplifier.inputP1dBm()
        let point = curve.compressionPoint()
        #expect(point != nil)
        #expect(abs((point?.inputDbm ?? .nan) - analytic) < 0.2, "estimated \(point?.inputDbm ?? .nan) dBm, analytic \(analytic) dBm")
        let smallSignal = curve.smallSignalGain() ?? 0
        #expect(abs(smallSignal - amplifier.gainDb) < 0.05)
    }

    @Test func theSimulatorIsDeterministicForASeed() {
        var a = PASimulator(scenario: .motion, startTime: 0)
        var b = PASimulator(scenario: .motion, startTime: 0)
        for _ in 0..<50 { #expect(a.next() == b.next()) }
    }
}
