import GatewayCore
import Simulation
import Testing

@Suite("Scenarios")
struct ScenarioTests {
    @Test("parses every name, case-insensitively and trimmed")
    func parsesNames() throws {
        for scenario in ScenarioName.allCases {
            #expect(try ScenarioName.parse(scenario.rawValue) == scenario)
        }
        #expect(try ScenarioName.parse("  Empty-Walk-Empty\n") == .emptyWalkEmpty)
        #expect(ScenarioName.allCases.map(\.rawValue) == ["empty", "walk", "empty-walk-empty", "fall", "sit-down", "lie-down", "still"])
    }

    @Test("an unknown name is rejected with the valid names in the message")
    func rejectsUnknown() {
        do {
            _ = try ScenarioName.parse("dance")
            Issue.record("parse accepted 'dance'")
        } catch {
            #expect(error.code == .invalidConfig)
            #expect(error.message.contains("'dance'"))
            #expect(error.message.contains("empty, walk, empty-walk-empty, fall"))
        }
    }

    @Test("labels per scenario")
    func labels() {
        #expect(ScenarioName.empty.labels(seconds: 30).isEmpty)
        #expect(ScenarioName.walk.labels(seconds: 30) == [GroundTruthInterval(kind: "motion", start: 0, end: 30)])
        #expect(ScenarioName.emptyWalkEmpty.labels(seconds: 30) == [GroundTruthInterval(kind: "motion", start: 10, end: 20)])
        #expect(ScenarioName.walk.labels(seconds: 0).isEmpty)
        let simulator = CSISimulator(scenario: .emptyWalkEmpty, seconds: 9, seed: 1, startTime: 0)
        #expect(simulator.labels == [GroundTruthInterval(kind: "motion", start: 3, end: 6)])
        // Walk for 40 % of the run, fall for 0.7 s, then lie still.
        #expect(ScenarioName.fall.labels(seconds: 30) == [
            GroundTruthInterval(kind: "motion", start: 0, end: 12.7), GroundTruthInterval(kind: "fall", start: 12, end: 12.7),
            GroundTruthInterval(kind: "presence", start: 12.7, end: 30),
        ])
        #expect(ScenarioName.still.labels(seconds: 30) == [GroundTruthInterval(kind: "presence", start: 0, end: 30)])
    }

    @Test("a fall takes the torso to the floor within its duration, then only breathing moves it")
    func fallTrajectory() {
        var simulator = CSISimulator(scenario: .fall, seconds: 20, rate: 100, seed: 4, startTime: 0)
        var heights: [(Double, Double)] = []
        while let frame = simulator.next() {
            if let body = simulator.lastBody(device: 0) { heights.append((Double(frame.timestamp) / 1e6, body.position.z)) }
        }
        let before = heights.filter { $0.0 < 8 }.map(\.1)
        let after = heights.filter { $0.0 > 8.8 }.map(\.1)
        #expect(before.allSatisfy { $0 >= 1.0 })
        #expect(after.allSatisfy { abs($0 - Activity.fall.finalHeight) < 0.01 })
        // Peak downward speed during the fall: 2-3 m/s.
        var fastest = 0.0
        for (a, b) in zip(heights, heights.dropFirst()) where b.0 > a.0 { fastest = max(fastest, (a.1 - b.1) / (b.0 - a.0)) }
        #expect(fastest > 1.5 && fastest < 4)
    }

    @Test("empty-walk-empty: the person walks out through the door, fading behind the wall, and is gone at the end")
    func walksOutThroughTheDoor() {
        for seed: UInt64 in [1, 2, 3, 4, 5, 6] {
            var simulator = CSISimulator(scenario: .emptyWalkEmpty, seconds: 30, rate: 100, seed: seed, startTime: 0)
            var bodies: [(Double, Body)] = []
            while let frame = simulator.next() {
                if let body = simulator.lastBody(device: 0) { bodies.append((Double(frame.timestamp) / 1e6, body)) }
            }
            let inside = bodies.filter { $0.0 < 17 }
            let last = bodies.filter { $0.0 > 19.9 && $0.0 < 20 }
            #expect(inside.allSatisfy { $0.1.reflectivityScale > 0.7 }, "seed \(seed): faded while inside")
            #expect(!last.isEmpty && last.allSatisfy { $0.1.reflectivityScale < 0.01 }, "seed \(seed): still visible at the end")
            // No dead stop in the doorway: over the last second before fading out, the body keeps moving.
            let exit = bodies.filter { $0.1.reflectivityScale < 1e-3 }.first?.0 ?? 20
            let lastSecond = bodies.filter { $0.0 > exit - 1 && $0.0 <= exit }
            if let first = lastSecond.first, let end = lastSecond.last {
                let dx = end.1.position.x - first.1.position.x
                let dy = end.1.position.y - first.1.position.y
                #expect((dx * dx + dy * dy).squareRoot() > 0.5, "seed \(seed): stood still before leaving")
            }
        }
    }
}
