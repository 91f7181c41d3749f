import Foundation
import GatewayCore
import Store
import Testing

/// `gateway telemetry` as a technician runs it against a store that holds machine readings.
@Suite struct TelemetryCommandTests {
    static let t0: Int64 = 1_763_798_400_000_000  // 2025-11-22T08:00:00Z

    func storeWithSamples(in dir: URL) throws -> String {
        let db = dir.appendingPathComponent("gw.sqlite").path
        let store = try GatewayStore(path: db)
        try store.write(StoreBatch(telemetry: [
            TelemetrySample(source: "press-1", point: "spindle_load", value: .number(41.5), unit: "%", time: Self.t0),
            TelemetrySample(source: "press-1", point: "cycles", value: .integer(1200), time: Self.t0 + 1_000_000),
            TelemetrySample(source: "mill", point: "execution", value: .text("ACTIVE"), quality: .uncertain, time: Self.t0 + 2_000_000),
            TelemetrySample(source: "mill", point: "door_open", value: .boolean(false), time: Self.t0 + 3_000_000),
        ]))
        try store.close()
        return db
    }

    @Test func jsonLinesCarryPointDeviceValueUnitTimeAndQuality() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try storeWithSamples(in: dir)
        let result = try TestSupport.runGateway(["telemetry", "--db", db, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects[0]["source"] as? String == "press-1")
        #expect(objects[0]["point"] as? String == "spindle_load")
        #expect(objects[0]["value"] as? Double == 41.5)
        #expect(objects[0]["unit"] as? String == "%")
        #expect(objects[0]["quality"] as? String == "good")
        #expect(objects[0]["time"] as? String == "2025-11-22T08:00:00.000Z")
        #expect(objects[0]["time_us"] as? Int64 == Self.t0)
        #expect(objects[1]["value"] as? Int == 1200 && objects[1]["type"] as? String == "integer")
        #expect(objects[2]["value"] as? String == "ACTIVE" && objects[2]["quality"] as? String == "uncertain")
        #expect(objects[3]["value"] as? Bool == false && objects[3]["type"] as? String == "boolean")
    }

    @Test func filtersLastAndSummary() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try storeWithSamples(in: dir)
        let mill = try TestSupport.runGateway(["telemetry", "--db", db, "--source", "mill", "--format", "csv"])
        #expect(mill.status == 0, "\(mill.stderr)")
        #expect(mill.stdout.split(separator: "\n").map(String.init) == [
            "time_us,source,point,value,type,unit,quality",
            "\(Self.t0 + 2_000_000),mill,execution,ACTIVE,text,,uncertain",
            "\(Self.t0 + 3_000_000),mill,door_open,false,boolean,,good",
        ])
        let last = try TestSupport.runGateway(["telemetry", "--db", db, "--last", "1"])
        #expect(last.stdout.contains("door_open") && !last.stdout.contains("spindle_load"))
        #expect(last.stdout.contains("1 sample(s)"))
        let since = try TestSupport.runGateway(["telemetry", "--db", db, "--since", "2025-11-22T08:00:01Z", "--format", "json"])
        #expect(since.stdout.split(separator: "\n").count == 3)
        let summary = try TestSupport.runGateway(["telemetry", "--db", db, "--summary"])
        #expect(summary.stdout.contains("press-1\tspindle_load\t1 sample(s)"))
        let bad = try TestSupport.runGateway(["telemetry", "--db", db, "--since", "yesterday"])
        #expect(bad.status != 0 && bad.stderr.contains("--since yesterday is not a time"))
        let missing = try TestSupport.runGateway(["telemetry", "--db", dir.appendingPathComponent("nope.sqlite").path])
        #expect(missing.status != 0 && missing.stderr.contains("no database at"))
    }
}
