import Foundation
import Testing

/// The `gateway` binary as a user runs it.
@Suite struct CommandLineTests {
    @Test func badConfigStopsStartUpNamingTheKey() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("gw.yaml")
        try "udp:\n  port: 5566\n  bind: 0.0.0.0\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try TestSupport.runGateway(["run", "--config", config.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown key 'udp.bind'"))
    }

    @Test func simulateReplayEventsAsJSON() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let capture = dir.appendingPathComponent("x").path
        let db = dir.appendingPathComponent("y").path
        let sim = try TestSupport.runGateway(["simulate", "--scenario", "empty-walk-empty", "--seconds", "30", "--out", capture])
        #expect(sim.status == 0, "\(sim.stderr)")
        let replay = try TestSupport.runGateway(["replay", capture, "--db", db, "--calibrate", "5"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("frames/s"))
        #expect(replay.stdout.contains("motion"))
        let events = try TestSupport.runGateway(["events", "--db", db, "--format", "json"])
        #expect(events.status == 0)
        let lines = events.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["kind"] as? String != nil)
            #expect(object?["device"] as? String == "sim-01")
            #expect(object?["start"] as? String != nil)
            #expect(object?.keys.contains("end") == true)
            #expect(object?["confidence"] as? Double != nil)
        }
    }

    @Test func unknownScenarioListsTheValidOnes() throws {
        let result = try TestSupport.runGateway(["simulate", "--scenario", "dance", "--out", "/tmp/never"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("empty-walk-empty"))
    }

    @Test func replayIsKilledMidwayAndTheDatabaseStillOpens() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let capture = dir.appendingPathComponent("big").path
        let db = dir.appendingPathComponent("y.sqlite").path
        let sim = try TestSupport.runGateway(["simulate", "--scenario", "walk", "--seconds", "600", "--devices", "4", "--out", capture])
        #expect(sim.status == 0)
        let process = Process()
        process.executableURL = TestSupport.gatewayBinary
        process.arguments = ["replay", capture, "--db", db]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the first commits landed, then kill without warning.
        for _ in 0..<200 {
            if let size = try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int, size > 0 { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let events = try TestSupport.runGateway(["events", "--db", db])
        #expect(events.status == 0, "\(events.stderr)")
        let again = try TestSupport.runGateway(["replay", capture, "--db", db])
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func simulateRejects80MHzAt2_4GHzAndDocumentsItsRadioFlags() throws {
        let bad = try TestSupport.runGateway(["simulate", "--scenario", "walk", "--bandwidth", "80", "--out", "/tmp/never"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("5 GHz"), "\(bad.stderr)")
        let loss = try TestSupport.runGateway(["simulate", "--scenario", "walk", "--loss", "1.5", "--out", "/tmp/never"])
        #expect(loss.status != 0)
        #expect(loss.stderr.contains("--loss"))
        let help = try TestSupport.runGateway(["simulate", "--help"])
        for flag in ["--band", "--bandwidth", "--agc-steps", "--loss", "--jitter"] {
            #expect(help.stdout.contains(flag), "help lacks \(flag)")
        }
    }
}
