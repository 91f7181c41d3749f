import TestPeers
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GatewayCore
import Ledger
import SensingProto
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `gateway run` with a Modbus TCP device (pymodbus), an MTConnect adapter and a serial instrument
/// (a socat pty) in its config, as a site runs it: readings become stored telemetry, a level change of the watched spindle load
/// becomes a `regime_shift` event, all are entries of the signed log, and the log reaches a
/// running `cloud-sync`.
@Suite(.serialized) struct DaemonMachinesTests {
    @Test func adapterReadingsAreStoredLoggedShiftDetectedAndSynced() async throws {
        let site = try SyncTestSite(origin: "gw.test/machines")
        defer { site.remove() }
        let (dir, db) = (site.dir, site.db)
        let adapter = try ShdrTestAdapter(greeting: ["* shdrVersion: 2", "|execution|ACTIVE|program|O1234"], pongMillis: 1000)
        defer { adapter.stop() }
        let pty = try SerialPTYPair()
        defer { pty.stop() }
        let modbusPort = ModbusPeer.freePort()
        let plc = try ModbusPeer.tcp(port: modbusPort)
        defer { plc.stop() }
        try site.writeGatewayConfig("""
            udp: { enabled: false }
            http: { enabled: false }
            store: { path: \(db), commit_interval_ms: 50 }
            ledger: { key_file: \(site.keyFile), checkpoint_every_entries: 50, checkpoint_every_seconds: 0.3 }
            sync: { mode: push, url: "http://127.0.0.1:\(site.cloudPort)", poll_interval_ms: 100 }
            modbus:
              - name: press-1
                host: 127.0.0.1
                port: \(modbusPort)
                points:
                  - { name: cycles, table: holding, address: 5, type: u16, period_ms: 100 }
                  - { name: pressure, table: holding, address: 6, type: u16, scale: 0.1, unit: bar, period_ms: 100 }
            shdr:
              - name: mill-1
                host: 127.0.0.1
                port: \(adapter.port)
                items:
                  - { key: load, point: spindle_load, unit: "%" }
                  - { key: execution, kind: event }
                  - { key: program, kind: event }
            instruments:
              - name: scale-1
                path: \(pty.a)
                baud: 9600
                regex: '^(?<status>ST|US),(?<weight>[-+]?[0-9.]+) g$'
                points:
                  - { name: weight, unit: g }
                  - { name: status, type: text }
            regime_shift: { points: ["mill-1/spindle_load"], min_segment_samples: 50 }
            """)
        let cloud = try site.startCloud()
        let gateway = try BackgroundProcess(TestSupport.gatewayBinary, ["run", "--config", site.gatewayConfig], output: dir.appendingPathComponent("gw.log"))
        defer {
            gateway.stop(SIGKILL)
            cloud.stop(SIGKILL)
        }
        for _ in 0..<200 where adapter.connections == 0 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(adapter.connections > 0, "the daemon never connected:\n\(gateway.log)")

        // 120 readings around 20 %, then 120 around 35 %: one regime change, at reading 120.
        var generator = SystemRandomNumberGenerator()
        let t0 = Date(timeIntervalSince1970: 1_763_798_400)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for i in 0..<240 {
            let level = i < 120 ? 20.0 : 35.0
            let value = level + Double.random(in: -1...1, using: &generator)
            let stamp = formatter.string(from: t0.addingTimeInterval(Double(i) * 0.1))
            adapter.send("\(stamp)|load|\(String(format: "%.2f", value))")
        }
        let scale = try SerialPTYWriter(path: pty.b)
        for weight in ["12.50", "12.75", "13.00"] { try scale.write("ST,+\(weight) g\n") }
        try scale.write("garbage that is no reading\n")
        let store = try GatewayStore(path: db)
        defer { try? store.close() }
        var weights: [TelemetryValue] = []
        for _ in 0..<200 {
            weights = (try? store.telemetry(TelemetryQuery(source: "scale-1", point: "weight")).map(\.value)) ?? []
            if weights.count == 3 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(weights == [.number(12.5), .number(12.75), .number(13)], "\(gateway.log)")
        var press: [TelemetrySample] = []
        for _ in 0..<200 {
            press = (try? store.telemetry(TelemetryQuery(source: "press-1"))) ?? []
            if Set(press.map(\.point)) == ["cycles", "pressure"] { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(press.first { $0.point == "cycles" }?.value == .integer(5), "holding[5] = 5: \(press)\n\(gateway.log)")
        #expect(press.first { $0.point == "pressure" }.map { abs(($0.value.numeric ?? 0) - 0.6) < 1e-9 && $0.unit == "bar" } == true, "\(press)")
        var loads = 0
        for _ in 0..<200 {
            loads = (try? store.telemetry(TelemetryQuery(source: "mill-1", point: "spindle_load")).count) ?? 0
            if loads == 240 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(loads == 240, "stored \(loads) of 240 readings:\n\(gateway.log)")

        let json = try TestSupport.runGateway(["telemetry", "--db", db, "--source", "mill-1", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let objects = json.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.contains { $0["point"] as? String == "execution" && $0["value"] as? String == "ACTIVE" })
        let firstLoad = try #require(objects.first { $0["point"] as? String == "spindle_load" })
        #expect(firstLoad["unit"] as? String == "%" && firstLoad["quality"] as? String == "good")
        #expect(firstLoad["time"] as? String == "2025-11-22T08:00:00.000Z", "the adapter's own time stamp is kept")

        let events = try TestSupport.runGateway(["events", "--db", db, "--kind", "regime_shift", "--format", "json"])
        let shifts = events.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(shifts.count == 1, "\(events.stdout)\n\(gateway.log)")
        if let shift = shifts.first, let features = shift["features"] as? [String: Double] {
            #expect(shift["device"] as? String == "mill-1/spindle_load")
            #expect(abs((features["mean_before"] ?? 0) - 20) < 1 && (features["mean_after"] ?? 0) > 21, "\(features)")
            #expect(features["change_variance"] == 0 && features["direction"] == 1, "a level rise")
        }

        // Every sample and the event are log entries; the cloud ends up holding all of them.
        var synced = false
        for _ in 0..<200 {
            if let latest = try store.latestCheckpoint(), latest.size == (try store.logSize()),
               let state = await CloudProbe.get(site.stateURL, as: CloudProbe.State.self), state.size == latest.size {
                synced = true
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(synced, "cloud:\n\(cloud.log)\ngateway:\n\(gateway.log)")
        let size = try store.logSize()
        #expect(size >= 251, "240 loads, execution, program, the shift, 3 weights, 3 statuses, 2 press points")
        let kinds = try (0..<size).map { try PbLogEntry(serializedBytes: #require(try store.logEntry(index: $0))) }
        #expect(kinds.filter { $0.telemetry.point == "spindle_load" }.count == 240)
        #expect(kinds.contains { $0.source == "press-1" && $0.telemetry.point == "pressure" })
        #expect(kinds.filter { $0.source == "scale-1" }.map(\.sourceSequence) == Array(0..<6), "the instrument's own sequence")
        #expect(kinds.contains { $0.event.kind == "regime_shift" })
        gateway.stop(SIGTERM)
        cloud.stop(SIGTERM)
    }
}
