import Foundation
import GatewayApp
import Testing

/// The acceptance path for GaN PA frames, through the real binary: simulate a load
/// fault, replay the capture, and find the `pa_vswr` event with its measured values in
/// `gateway events` and the PA's measurements in `gateway telemetry`.
@Suite struct PASimulateReplayTests {
    @Test func aSimulatedLoadFaultShowsUpAsAVSWREvent() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let capture = dir.appendingPathComponent("pa.sgw").path
        let db = dir.appendingPathComponent("pa.sqlite").path
        let simulate = try TestSupport.runGateway(["simulate", "--scenario", "pa-vswr", "--rate", "50", "--out", capture])
        #expect(simulate.status == 0, "\(simulate.stderr)")
        #expect(simulate.stdout.contains("3000 GaN PA frames"))
        let replay = try TestSupport.runGateway(["replay", capture, "--db", db])
        #expect(replay.status == 0, "\(replay.stderr)")

        let events = try TestSupport.runGateway(["events", "--db", db, "--format", "json"])
        #expect(events.status == 0, "\(events.stderr)")
        let rows = events.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(rows.map { $0["kind"] as? String } == ["pa_vswr"], "\(events.stdout)")
        let event = try #require(rows.first)
        #expect(event["model_version"] as? String == "pa-health-v1")
        let features = try #require(event["features"] as? [String: Double])
        // The simulated fault is |Γ| = 0.5, VSWR 3:1, from 20 s to 40 s.
        #expect(abs((features["vswr"] ?? 0) - 3) < 0.15)
        #expect(abs((features["return_loss_db"] ?? 0) - 6.02) < 0.3)
        let start = try #require(event["start_us"] as? Int64)
        let end = try #require(event["end_us"] as? Int64)
        #expect(abs(Double(start - 1_767_225_600_000_000) / 1e6 - 20) < 0.5)
        #expect(abs(Double(end - 1_767_225_600_000_000) / 1e6 - 40) < 0.5)

        let telemetry = try TestSupport.runGateway(["telemetry", "--db", db, "--source", "pa-1", "--point", "vswr", "--format", "csv"])
        #expect(telemetry.status == 0, "\(telemetry.stderr)")
        let values = telemetry.stdout.split(separator: "\n").dropFirst().compactMap { line -> Double? in
            line.split(separator: ",").compactMap { Double($0) }.last
        }
        #expect(values.count >= 55, "one sample a second for 60 s")
        #expect(values.contains { $0 > 2.8 } && values.contains { $0 < 1.3 })
    }

    @Test func aBadPAScenarioNameListsTheValidOnes() throws {
        let result = try TestSupport.runGateway(["simulate", "--scenario", "pa-boom", "--out", "/tmp/never"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("pa-compression"))
    }
}
