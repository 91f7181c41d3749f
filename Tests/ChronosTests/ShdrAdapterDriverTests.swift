import TestPeers
import Chronos
import Foundation
import GatewayCore
import Testing

/// The SHDR driver against a real adapter on 127.0.0.1 (`ShdrTestAdapter`).
@Suite(.serialized) struct ShdrAdapterDriverTests {
    static let items = [
        ShdrItemMapping(key: "Srpm", point: "spindle_speed", kind: .sample, unit: "rpm"),
        ShdrItemMapping(key: "execution", kind: .event),
        ShdrItemMapping(key: "system", point: "system_condition", kind: .condition),
        ShdrItemMapping(key: "msg", point: "operator_message", kind: .message),
        ShdrItemMapping(key: "Xts", point: "x_vibration", kind: .timeSeries),
    ]

    static let stream = [
        "* shdrVersion: 2",
        "* uuid: mill-0001",
        "2024-05-01T12:00:00.000Z|Srpm|1200|execution|ACTIVE|Xact|1.25",
        "2024-05-01T12:00:00.100Z|system|WARNING|HTEMP|1|HIGH|Oil temperature high",
        "2024-05-01T12:00:00.200Z|msg|CHG_INSRT|Change inserts",
        "2024-05-01T12:00:00.300Z|Xts|4|100|0.1 0.2 0.3 0.4",
        "this line is garbage",
        "2024-05-01T12:00:00.400Z|Srpm|UNAVAILABLE",
        "2024-05-01T12:00:00.500Z|Xts|9|100|1 2",
        "|Srpm|1300",
        "2024-05-01T12:00:00.600Z|@ASSET@|T1|CuttingTool|--multiline--AB12",
        "<CuttingTool assetId=\"T1\">",
        "  <Description>not SHDR | not malformed</Description>",
        "</CuttingTool>",
        "--multiline--AB12",
    ]

    func settings(port: Int, timeoutMillis: Int = 60_000) -> ShdrAdapterSettings {
        ShdrAdapterSettings(name: "mill-1", host: "127.0.0.1", port: port, heartbeatTimeoutMillis: timeoutMillis,
                            connectTimeoutMillis: 1000, reconnectInitialMillis: 20, reconnectMaxMillis: 200, items: Self.items)
    }

    @Test func parsesARealStreamWithHeartbeats() async throws {
        // 400 ms: dead after 800 ms of silence, so a loaded machine's stalls do not reconnect.
        let adapter = try ShdrTestAdapter(greeting: Self.stream, pongMillis: 400)
        let driver = try ShdrAdapterDriver(settings: settings(port: adapter.port), logger: quietLogger)
        let sink = CollectingSink()
        let task = Task { await driver.run(into: sink) }
        defer { task.cancel() }
        #expect(await waitFor(5) { sink.points("spindle_speed").count >= 3 })
        // Two more PING rounds: the heartbeat keeps an idle connection alive.
        #expect(await waitFor(5) { adapter.pingsSeen >= 3 })
        let health = driver.health()
        let info = driver.info()
        #expect(health.connected)
        #expect(info.connections == 1)
        #expect(info.heartbeatMillis == 400)
        #expect(info.commands == ["shdrVersion": "2", "uuid": "mill-0001"])
        #expect(info.unmapped == ["Xact": 1])
        #expect(health.errors["malformed"] == 2, "\(health.errors)")
        #expect(health.errors["timeout"] == nil)
        #expect(health.lastError?.contains("announces 9 values") == true)
        let speed = sink.points("spindle_speed")
        #expect(speed.map(\.value) == [.number(1200), .text(""), .number(1300)])
        #expect(speed.map(\.quality) == [.good, .uncertain, .good])
        #expect(speed[0].time == 1_714_564_800_000_000)
        #expect(abs(speed[2].time - unixMicrosNow()) < 60_000_000, "an empty time stamp is the receive time")
        #expect(sink.points("execution").map(\.value) == [.text("ACTIVE")])
        #expect(sink.points("system_condition").map(\.value) == [.text("WARNING HTEMP: Oil temperature high")])
        #expect(sink.points("operator_message").map(\.value) == [.text("CHG_INSRT: Change inserts")])
        #expect(sink.points("x_vibration").map(\.value) == [0.1, 0.2, 0.3, 0.4].map { .number($0) })
        #expect(sink.points("x_vibration").map(\.time) == (0..<4).map { 1_714_564_800_300_000 + Int64($0) * 10_000 })
        // Live lines after the greeting.
        adapter.send("2024-05-01T12:00:01Z|Srpm|1400")
        #expect(await waitFor(5) { sink.points("spindle_speed").count == 4 })
        task.cancel()
        await task.value
        #expect(!driver.health().connected)
    }

    @Test func reconnectsWhenThePongsStop() async throws {
        let adapter = try ShdrTestAdapter(greeting: ["|Srpm|1"], pongMillis: 250)
        let driver = try ShdrAdapterDriver(settings: settings(port: adapter.port), logger: quietLogger)
        let sink = CollectingSink()
        let task = Task { await driver.run(into: sink) }
        defer { task.cancel() }
        #expect(await waitFor(5) { driver.info().heartbeatMillis == 250 && adapter.pingsSeen >= 2 })
        let before = driver.info().connections
        adapter.setPong(nil)  // alive socket, silent adapter: dead after 2 x 250 ms
        let started = Date()
        #expect(await waitFor(5) { driver.info().connections > before })
        let elapsed = Date().timeIntervalSince(started)
        // The last PONG came up to 250 ms before the switch: dead 250-500 ms after it, plus a tick.
        #expect(elapsed >= 0.2 && elapsed < 3, "declared dead after \(elapsed) s; the rule is 2 x 250 ms of silence")
        #expect(driver.health().errors["timeout"] ?? 0 >= 1)
        #expect(driver.health().lastError?.contains("limit 500 ms") == true, "\(driver.health().lastError ?? "")")
        #expect(sink.points("spindle_speed").count >= 2, "the greeting arrives again on the new connection")
    }

    @Test func fallbackTimeoutWithoutPongSupport() async throws {
        let adapter = try ShdrTestAdapter(greeting: ["|Srpm|1"], pongMillis: nil)
        let driver = try ShdrAdapterDriver(settings: settings(port: adapter.port, timeoutMillis: 300), logger: quietLogger)
        let task = Task { await driver.run(into: CollectingSink()) }
        defer { task.cancel() }
        #expect(await waitFor(5) { driver.info().connections >= 2 })
        #expect(driver.info().heartbeatMillis == nil)
        #expect(driver.health().lastError?.contains("limit 300 ms") == true, "\(driver.health().lastError ?? "")")
    }

    @Test func adapterRestartAndRefusedConnections() async throws {
        let adapter = try ShdrTestAdapter(greeting: ["|Srpm|1"], pongMillis: 1000)
        let driver = try ShdrAdapterDriver(settings: settings(port: adapter.port), logger: quietLogger)
        let sink = CollectingSink()
        let task = Task { await driver.run(into: sink) }
        defer { task.cancel() }
        #expect(await waitFor(5) { sink.all.count == 1 })
        adapter.stop()
        #expect(await waitFor(5) { (driver.health().errors["connect"] ?? 0) >= 2 })
        #expect(!driver.health().connected)
        #expect(driver.health().errors["closed"] == 1)
        #expect(driver.health().lastError?.contains("cannot connect to the SHDR adapter at 127.0.0.1:\(adapter.port)") == true)
        adapter.setGreeting(["|Srpm|2"])
        try adapter.start()
        #expect(await waitFor(5) { sink.all.count == 2 })
        #expect(driver.info().connections == 2)
        #expect(driver.health().connected)
        adapter.dropClients()
        #expect(await waitFor(5) { sink.all.count == 3 && driver.info().connections == 3 })
    }

    @Test func settingsAreChecked() {
        #expect(throws: GatewayError.self) { try ShdrAdapterDriver(settings: ShdrAdapterSettings(name: "m", host: ""), logger: quietLogger) }
        let twice = ShdrAdapterSettings(name: "m", host: "h", items: [ShdrItemMapping(key: "a"), ShdrItemMapping(key: "a")])
        #expect(throws: GatewayError.self) { try twice.validate() }
    }
}
