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
        #expect(ScenarioName.allCases.map(\.rawValue) == ["empty", "walk", "empty-walk-empty"])
    }

    @Test("an unknown name is rejected with the valid names in the message")
    func rejectsUnknown() {
        do {
            _ = try ScenarioName.parse("dance")
            Issue.record("parse accepted 'dance'")
        } catch {
            #expect(error.code == .invalidConfig)
            #expect(error.message.contains("'dance'"))
            #expect(error.message.contains("empty, walk, empty-walk-empty"))
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
    }
}
