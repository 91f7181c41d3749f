import TestPeers
import Chronos
import GatewayCore
import Testing

/// ModbusTCPDriver polling pymodbus and the misbehaving server.
@Suite(.serialized) struct ModbusTCPDriverTests {
    /// pymodbus on a loaded 2-core machine sometimes needs a few hundred ms: 1 s unless a test says.
    private func device(_ name: String, port: Int, points: [ModbusPoint], timeoutMillis: Int = 1000) -> ModbusDeviceSettings {
        var settings = ModbusDeviceSettings(name: name, transport: .tcp(host: "127.0.0.1", port: port), points: points)
        settings.timeoutMillis = timeoutMillis
        settings.reconnectInitialMillis = 50
        settings.reconnectMaxMillis = 200
        return settings
    }

    @Test func samplesAreTypedScaledAndTimed() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.tcp(port: port)
        defer { peer.stop() }
        var points = KnownMap.typed.map { ModbusPoint(name: $0.0, table: .holding, address: $0.1, type: $0.2, layout: $0.3, periodMillis: 50) }
        points.append(ModbusPoint(name: "temperature", table: .input, address: 10, scale: 0.1, offset: -1, unit: "degC", periodMillis: 50))
        points.append(ModbusPoint(name: "running", table: .coils, address: 3, periodMillis: 50))
        points.append(ModbusPoint(name: "door", table: .discrete, address: 3, periodMillis: 50))
        let driver = ModbusTCPDriver(settings: device("press-1", port: port, points: points))
        let sink = CollectingSink()
        let before = unixMicrosNow()
        let task = Task { await driver.run(into: sink) }
        let complete = await eventually { points.allSatisfy { point in sink.latest(point.name) != nil } }
        task.cancel()
        await task.value
        #expect(complete)
        for (name, _, _, _, expected) in KnownMap.typed {
            #expect(sink.latest(name)?.value == expected, "\(name)")
        }
        let temperature = try #require(sink.latest("temperature"))
        #expect(temperature.value == .number(1010 * 0.1 - 1))
        #expect(temperature.unit == "degC" && temperature.source == "press-1" && temperature.quality == .good)
        #expect(temperature.time >= before && temperature.time <= unixMicrosNow())
        #expect(sink.latest("running")?.value == .boolean(true))
        #expect(sink.latest("door")?.value == .boolean(false))
        let health = driver.health()
        #expect(health.successes > 0 && health.lastSuccess != nil && health.meanLatencySeconds != nil)
        #expect(health.errorCount == 0, "\(health.errors)")
    }

    @Test func deadbandSuppressesSmallMoves() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.tcp(port: port)
        defer { peer.stop() }
        var settings = device("dead-band", port: port, points: [ModbusPoint(name: "level", table: .holding, address: 310, periodMillis: 20, deadband: 5)])
        settings.heartbeatSeconds = 0
        let writer = try await ModbusTCPConnection.connect(host: "127.0.0.1", port: port)
        _ = try await writer.send(unit: 1, .writeSingleRegister(address: 310, value: 100), timeout: .seconds(2))
        let driver = ModbusTCPDriver(settings: settings)
        let sink = CollectingSink()
        let task = Task { await driver.run(into: sink) }
        #expect(await eventually { sink.all.count == 1 })
        _ = try await writer.send(unit: 1, .writeSingleRegister(address: 310, value: 104), timeout: .seconds(2))
        let polls = driver.health().successes
        #expect(await eventually { driver.health().successes > polls + 5 })
        #expect(sink.all.count == 1)
        _ = try await writer.send(unit: 1, .writeSingleRegister(address: 310, value: 106), timeout: .seconds(2))
        #expect(await eventually { sink.all.count == 2 })
        task.cancel()
        await task.value
        await writer.close()
        #expect(sink.all.map(\.value) == [.integer(100), .integer(106)])
    }

    @Test func illegalAddressIsReportedOncePerPointAndGoodPointsKeepPolling() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.tcp(port: port)
        defer { peer.stop() }
        let settings = device("mapped", port: port, points: [
            ModbusPoint(name: "good", table: .holding, address: 998, periodMillis: 20),
            ModbusPoint(name: "ghost", table: .holding, address: 1001, periodMillis: 20),
        ])
        let driver = ModbusTCPDriver(settings: settings)
        let sink = CollectingSink()
        let task = Task { await driver.run(into: sink) }
        #expect(await eventually { sink.all.filter { $0.point == "good" }.count >= 20 })
        task.cancel()
        await task.value
        let health = driver.health()
        #expect(health.errors == ["exception": 1])
        #expect(health.lastError?.contains("point ghost") == true)
        #expect(health.lastError?.contains("illegal data address (02)") == true)
        #expect(!sink.all.contains { $0.point == "ghost" })
    }

    @Test func deadDeviceDoesNotDelayLiveOnes() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.tcp(port: port)
        let badPort = ModbusPeer.freePort()
        let bad = try ModbusPeer.bad(port: badPort)
        defer { peer.stop(); bad.stop() }
        let counter = PollCounter()
        let live = ["live-a", "live-b"].map { name in
            ModbusTCPDriver(settings: device(name, port: port, points: [ModbusPoint(name: "v", table: .holding, address: 1, periodMillis: 50)])) { counter.record($0) }
        }
        // Accepts the connection and answers after 1.5 s: every request times out.
        let dead = ModbusTCPDriver(settings: device("dead", port: badPort, points: [ModbusPoint(name: "v", table: .holding, address: 2, periodMillis: 50)], timeoutMillis: 300)) { counter.record($0) }
        let unreachable = ModbusTCPDriver(settings: device("refused", port: ModbusPeer.freePort(), points: [ModbusPoint(name: "v", table: .holding, address: 1, periodMillis: 50)]))
        let sink = CollectingSink()
        let drivers: [any MachineDriver] = live + [dead, unreachable]
        let tasks = drivers.map { driver in Task { await driver.run(into: sink) } }
        try await Task.sleep(for: .milliseconds(2000))
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        // 2 s at 50 ms is 40 polls; allow for start-up and a loaded machine.
        #expect(counter.ok("live-a") >= 30, "live-a polled \(counter.ok("live-a")) times")
        #expect(counter.ok("live-b") >= 30, "live-b polled \(counter.ok("live-b")) times")
        #expect(counter.failed("dead") >= 3)
        #expect(dead.health().errors["timeout", default: 0] >= 3)
        #expect(dead.health().lastError?.contains("no reply within 300 ms") == true)
        #expect(unreachable.health().errors["connect", default: 0] >= 2)
    }

    @Test func reconnectsAfterServerRestart() async throws {
        let port = ModbusPeer.freePort()
        var peer: ModbusPeer? = try ModbusPeer.tcp(port: port)
        let driver = ModbusTCPDriver(settings: device("restart", port: port, points: [ModbusPoint(name: "v", table: .holding, address: 7, periodMillis: 20)]))
        let sink = CollectingSink()
        let task = Task { await driver.run(into: sink) }
        #expect(await eventually { sink.all.count >= 3 })
        peer?.stop()
        peer = nil
        #expect(await eventually { !driver.health().connected })
        let during = sink.all.count
        #expect(await eventually { driver.health().errorCount >= 1 })
        peer = try ModbusPeer.tcp(port: port)
        #expect(await eventually { sink.all.count >= during + 3 })
        #expect(driver.health().connected)
        task.cancel()
        await task.value
        peer?.stop()
    }

    /// Against the plain asyncio server of modbus-peer.py (it answers frames in order however they
    /// arrive); pymodbus 3.16's server drops requests that share a TCP segment.
    @Test func pipelinedDeviceReadsEveryBlock() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.bad(port: port)
        defer { peer.stop() }
        var settings = device("pipelined", port: port, points: (0..<8).map { ModbusPoint(name: "p\($0)", table: .holding, address: UInt16($0 * 20), periodMillis: 50) })
        settings.maxOutstanding = 4
        settings.maxGap = 0
        let driver = ModbusTCPDriver(settings: settings)
        let sink = CollectingSink()
        let task = Task { await driver.run(into: sink) }
        let all = await eventually { (0..<8).allSatisfy { sink.latest("p\($0)") != nil } }
        task.cancel()
        await task.value
        #expect(all)
        for index in 0..<8 { #expect(sink.latest("p\(index)")?.value == .integer(Int64(index * 20))) }
        #expect(driver.health().errorCount == 0, "\(driver.health().errors) \(driver.health().lastError ?? "")")
    }

    @Test func writesOnlyToWritablePoints() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.tcp(port: port)
        defer { peer.stop() }
        let settings = device("writer", port: port, points: [
            ModbusPoint(name: "setpoint", table: .holding, address: 320, type: .f32, periodMillis: 20, writable: true),
            ModbusPoint(name: "locked", table: .holding, address: 330, periodMillis: 20),
        ])
        let driver = ModbusTCPDriver(settings: settings)
        let sink = CollectingSink()
        let task = Task { await driver.run(into: sink) }
        #expect(await eventually { driver.health().connected })
        try await driver.write(point: "setpoint", value: "42.25")
        await #expect(throws: ModbusError.self) { try await driver.write(point: "locked", value: "1") }
        #expect(await eventually { sink.latest("setpoint")?.value == .number(42.25) })
        task.cancel()
        await task.value
    }
}
