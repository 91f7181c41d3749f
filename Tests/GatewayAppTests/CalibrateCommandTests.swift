import Foundation
import GatewayApp
import GatewayCore
import Inference
import Logging
import Simulation
import Store
import Testing

/// `gateway calibrate`, stored calibrations, and replay with them.
@Suite struct CalibrateCommandTests {
    /// A simulated empty room (seed 1, like the walk captures of the same seed).
    static func emptyCapture(in dir: URL, seconds: Double = 10, devices: Int = 1, seed: UInt64 = 1) throws -> String {
        let path = dir.appendingPathComponent("empty.sgw").path
        var options = SimulateRunner.Options(scenario: .empty)
        options.seconds = seconds
        options.devices = devices
        options.seed = seed
        _ = try SimulateRunner(options: options).write(to: path)
        return path
    }

    @Test func calibrateStoresAndShowListsIt() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try Self.emptyCapture(in: dir)
        let db = dir.appendingPathComponent("gw.sqlite").path

        let learnt = try TestSupport.runGateway(["calibrate", empty, "--db", db, "--strict"])
        #expect(learnt.status == 0, "\(learnt.stderr)")
        #expect(learnt.stdout.contains("sim-01  good"))
        #expect(learnt.stdout.contains("stored       row 1"))
        #expect(learnt.stdout.contains("gain compensation off"))

        let store = try GatewayStore(path: db)
        let records = try store.latestCalibrations()
        try store.close()
        #expect(records.map(\.device) == ["sim-01"])
        #expect(records.first?.source == "capture:" + URL(fileURLWithPath: empty).standardizedFileURL.path)
        let stored = try #require(try records.first?.calibration(in: db))
        #expect(stored.windows >= 45)

        let shown = try TestSupport.runGateway(["calibrate", "--db", db, "--show"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("sim-01  good"))
        #expect(shown.stdout.contains(String(format: "threshold %.4g", stored.motionThreshold)))

        let json = try TestSupport.runGateway(["calibrate", "--store", db, "--show", "--device", "sim-01", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let lines = json.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
        #expect(object["device"] as? String == "sim-01")
        #expect(object["verdict"] as? String == "good")
        #expect(object["row"] as? Int == 1)
        #expect(object["windows"] as? Int == stored.windows)
        #expect(object["gain_compensated"] as? Bool == false)
        #expect((object["motion_p95"] as? Double).map { abs($0 - stored.motionP95) < 1e-12 } == true)
    }

    @Test func shortCalibrationIsPoorAndStrictFails() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try Self.emptyCapture(in: dir)
        let result = try TestSupport.runGateway(["calibrate", empty, "--seconds", "1", "--dry-run", "--strict", "--format", "json"])
        #expect(result.status == 3, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "poor")
        #expect((object["reasons"] as? [String])?.first?.contains("too short") == true)
        #expect(object["row"] is NSNull)
        // Without --strict a poor calibration is reported, not an error.
        let lenient = try TestSupport.runGateway(["calibrate", empty, "--seconds", "1", "--dry-run"])
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("sim-01  poor"))
    }

    @Test func someoneWalkingThroughMakesItPoor() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let capture = dir.appendingPathComponent("ewe.sgw").path
        var options = SimulateRunner.Options(scenario: .emptyWalkEmpty)
        options.seconds = 15
        _ = try SimulateRunner(options: options).write(to: capture)
        let result = try TestSupport.runGateway(["calibrate", capture, "--dry-run", "--strict"])
        #expect(result.status == 3, "\(result.stdout)")
        #expect(result.stdout.contains("sim-01  poor"))
        #expect(result.stdout.contains("was someone in the room?"))
    }

    @Test func errorsNameTheInputAndTheFix() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try Self.emptyCapture(in: dir)
        let db = dir.appendingPathComponent("gw.sqlite").path

        let unknown = try TestSupport.runGateway(["calibrate", empty, "--db", db, "--device", "kitchen"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no frames of device 'kitchen'"))
        #expect(unknown.stderr.contains("devices seen: sim-01"))

        let missing = try TestSupport.runGateway(["calibrate", dir.appendingPathComponent("nope.sgw").path, "--db", db])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("cannot read"))

        let text = dir.appendingPathComponent("notes.txt")
        try "nothing to see here\n".write(to: text, atomically: true, encoding: .utf8)
        let noFrames = try TestSupport.runGateway(["calibrate", text.path, "--dry-run"])
        #expect(noFrames.status != 0)
        #expect(noFrames.stderr.contains(text.path))

        let noStore = try TestSupport.runGateway(["calibrate", empty])
        #expect(noStore.status == 64)
        #expect(noStore.stderr.contains("--dry-run"))

        _ = try TestSupport.runGateway(["calibrate", empty, "--db", db])
        let otherDevice = try TestSupport.runGateway(["calibrate", "--db", db, "--show", "--device", "kitchen"])
        #expect(otherDevice.status == 64)
        #expect(otherDevice.stderr.contains("devices with one: sim-01"))
    }

    @Test func damagedStoredBodyIsANamedErrorNotACrash() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("gw.sqlite").path
        let store = try GatewayStore(path: db)
        let good = try CalibrationRecord(device: "sim-02", calibration: CalibrationDocumentFixture.calibration, source: "live")
        try store.saveCalibration(good)
        var damaged = good
        damaged.device = "sim-01"
        damaged.body = #"{"format":9,"calibration":{}}"#
        let row = try store.saveCalibration(damaged)

        let strict = #expect(throws: GatewayError.self) { try StoredCalibrations.latest(in: store, strict: true) }
        #expect(strict?.message.contains("calibration row \(row) of device 'sim-01' in \(db)") == true)
        #expect(strict?.message.contains("format 9") == true)
        let lenient = try StoredCalibrations.latest(in: store, strict: false)
        #expect(lenient.byDevice.keys.sorted() == ["sim-02"])
        #expect(lenient.unreadable.count == 1)
        try store.close()

        let shown = try TestSupport.runGateway(["calibrate", "--db", db, "--show", "--strict"])
        #expect(shown.status == 3)
        #expect(shown.stdout.contains("sim-01  unreadable"))
        #expect(shown.stdout.contains("sim-02  "))
        let replay = try TestSupport.runGateway(["replay", try Self.emptyCapture(in: dir), "--db", db, "--use-stored-calibration"])
        #expect(replay.status != 0)
        #expect(replay.stderr.contains("calibration row \(row) of device 'sim-01'"))
    }

    @Test func replayWithStoredCalibrationMatchesCalibrateFrom() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try Self.emptyCapture(in: dir)
        let walk = dir.appendingPathComponent("walk.sgw").path
        var options = SimulateRunner.Options(scenario: .emptyWalkEmpty)
        options.seconds = 15
        _ = try SimulateRunner(options: options).write(to: walk)
        let logger = Logger(label: "test")

        // Calibrate as the command does, store, read back.
        let storedDB = dir.appendingPathComponent("stored.sqlite").path
        let learnt = try CalibrationRunner(options: .init(files: [empty]), logger: logger).run()
        let store = try GatewayStore(path: storedDB)
        for entry in learnt.learnt {
            try store.saveCalibration(try CalibrationRecord(device: entry.device, calibration: entry.calibration, source: learnt.source))
        }
        try store.close()

        var withStored = ReplayRunner.Options(files: [walk], databasePath: storedDB)
        withStored.useStoredCalibration = true
        let storedSummary = try ReplayRunner(options: withStored, logger: logger).run()
        #expect(storedSummary.storedCalibrations == ["sim-01"])

        var withCapture = ReplayRunner.Options(files: [walk], databasePath: dir.appendingPathComponent("from.sqlite").path)
        withCapture.calibrateFrom = empty
        let captureSummary = try ReplayRunner(options: withCapture, logger: logger).run()
        #expect(storedSummary.calibrations == captureSummary.calibrations)
        #expect(storedSummary.eventsByKind == captureSummary.eventsByKind)

        func events(_ path: String) throws -> [String] {
            let store = try GatewayStore(path: path)
            defer { try? store.close() }
            return try store.events().map { "\($0.kind) \($0.device) \($0.start) \($0.end ?? -1) \($0.confidence)" }
        }
        let fromStore = try events(withStored.databasePath)
        #expect(!fromStore.isEmpty)
        #expect(fromStore == (try events(withCapture.databasePath)))

        // Replay stores no calibration of its own.
        let after = try GatewayStore(path: storedDB)
        #expect(try after.calibrations(device: "sim-01").count == 1)
        try after.close()
    }

    @Test func replayRefusesAStoreWithoutCalibrations() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try Self.emptyCapture(in: dir)
        let db = dir.appendingPathComponent("gw.sqlite").path
        try GatewayStore(path: db).close()
        let result = try TestSupport.runGateway(["replay", empty, "--db", db, "--use-stored-calibration"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("holds no calibration"))
        #expect(result.stderr.contains("gateway calibrate"))
    }
}

enum CalibrationDocumentFixture {
    static let calibration = Calibration(
        profiles: [[1, 2, 3, 4]], motionThreshold: 0.01, presenceThreshold: 0.02, windows: 50, seconds: 10,
        motionP95: 0.003, presenceP95: 0.007, warnings: [])
}
