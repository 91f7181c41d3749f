import Foundation
import GatewayApp
import GatewayCore
import Logging
import Simulation
import Store
import Testing

/// The acceptance path: simulate empty-walk-empty, replay with 5 s of calibration, and
/// find motion/presence events inside the walking phase only.
@Suite struct SimulateReplayTests {
    @Test func eventsFallInsideTheWalkingPhaseOnly() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let capture = dir.appendingPathComponent("x.sgw").path
        var options = SimulateRunner.Options(scenario: .emptyWalkEmpty)
        options.seconds = 30
        let start: Int64 = 1_767_225_600_000_000
        let frames = try SimulateRunner(options: options).write(to: capture, startTime: start)
        #expect(frames >= 2_900 && frames <= 3_100)
        #expect(FileManager.default.fileExists(atPath: capture + ".labels.json"))

        var replay = ReplayRunner.Options(files: [capture], databasePath: dir.appendingPathComponent("y.sqlite").path)
        replay.settings.calibrationSeconds = 5
        let summary = try ReplayRunner(options: replay, logger: Logger(label: "test")).run()
        #expect(summary.counters.accepted == frames)
        #expect(summary.counters.malformed == 0)

        let store = try GatewayStore(path: replay.databasePath)
        let events = try store.events()
        try store.close()
        let walkStart = start + 10_000_000
        let walkEnd = start + 20_000_000
        let motion = events.filter { $0.kind == .motion }
        #expect(!motion.isEmpty)
        for event in events {
            #expect(event.start >= walkStart - 500_000, "event \(event.id) starts before the walk")
            #expect(event.start <= walkEnd, "event \(event.id) starts after the walk")
            // Presence may be held a few seconds after the person leaves; never into the far end.
            #expect((event.end ?? .max) <= walkEnd + 6_000_000, "event \(event.id) lasts into the empty phase")
        }
        #expect(events.contains { $0.kind == .motion && $0.start < walkStart + 3_000_000 })
    }

    @Test func calibrateFromAnotherCapture() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.sgw").path
        let walk = dir.appendingPathComponent("walk.sgw").path
        var options = SimulateRunner.Options(scenario: .empty)
        options.seconds = 10
        _ = try SimulateRunner(options: options).write(to: empty)
        options.scenario = .walk
        _ = try SimulateRunner(options: options).write(to: walk)
        var replay = ReplayRunner.Options(files: [walk], databasePath: dir.appendingPathComponent("y.sqlite").path)
        replay.calibrateFrom = empty
        let summary = try ReplayRunner(options: replay, logger: Logger(label: "test")).run()
        #expect(summary.eventsByKind["motion", default: 0] >= 1)
        // The walking capture was not used to calibrate: its first seconds are already judged.
        let store = try GatewayStore(path: replay.databasePath)
        let first = try store.events(EventQuery(kind: .motion)).first
        try store.close()
        #expect((first?.start ?? .max) < 1_767_225_600_000_000 + 3_000_000)
    }

    @Test func impairedWideFramesReplayWithLossCounted() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let start: Int64 = 1_767_225_600_000_000
        for (band, bandwidth) in [(RadioBand.ghz5, Bandwidth.mhz80), (.ghz2_4, .mhz40)] {
            let capture = dir.appendingPathComponent("w\(bandwidth.rawValue).sgw").path
            var options = SimulateRunner.Options(scenario: .emptyWalkEmpty)
            options.seconds = 30
            options.simulation = SimulationOptions(band: band, bandwidth: bandwidth, lossFraction: 0.05)
            let frames = try SimulateRunner(options: options).write(to: capture, startTime: start)
            #expect(frames >= 2_700 && frames <= 2_950, "\(frames) of 3000 frames arrive")
            let labels = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: capture + ".labels.json"))) as? [String: Any]
            #expect(labels?["bandwidth_mhz"] as? Int == bandwidth.rawValue)
            #expect((labels?["intervals"] as? [[String: Any]])?.count == 1)

            var replay = ReplayRunner.Options(files: [capture], databasePath: dir.appendingPathComponent("w\(bandwidth.rawValue).sqlite").path)
            replay.settings.calibrationSeconds = 5
            let summary = try ReplayRunner(options: replay, logger: Logger(label: "test")).run()
            #expect(summary.counters.accepted == frames)
            #expect(summary.counters.malformed == 0)
            #expect(summary.counters.lost > 0 && summary.counters.lost <= 3_000 - frames, "lost \(summary.counters.lost)")
            #expect(summary.eventsByKind["motion", default: 0] >= 1, "\(bandwidth.rawValue) MHz: motion found")
        }
    }
}
