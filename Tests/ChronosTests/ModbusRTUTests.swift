import TestPeers
import Foundation
import Chronos
import GatewayCore
import Testing

/// Modbus RTU through a socat pty pair to pymodbus's serial server (units 1 and 2).
@Suite(.serialized) struct ModbusRTUTests {
    @Test(arguments: [9600, 115_200])
    func everyFunctionCodeOverSerial(baud: Int) throws {
        let pty = try SerialPTYPair()
        let peer = try ModbusPeer(["rtu", pty.b, "--baud", String(baud), "--parity", "N", "--units", "1,2"])
        defer { peer.stop() }
        let bus = try ModbusRTUTransport(line: ModbusSerialLine(path: pty.a, baud: baud, parity: .none))
        defer { bus.close() }
        // Generous: under a loaded CI machine the python peer can take over 2 s to answer its first request.
        let timeout = Duration.seconds(5)
        #expect(try bus.send(unit: 1, .read(.holding, address: 0, count: 10), timeout: timeout) == .registers(Array(0..<10)))
        #expect(try bus.send(unit: 2, .read(.input, address: 1, count: 2), timeout: timeout) == .registers([1001, 1002]))
        #expect(try bus.send(unit: 1, .read(.coils, address: 0, count: 4), timeout: timeout) == .bits([true, false, false, true]))
        #expect(try bus.send(unit: 1, .read(.discrete, address: 0, count: 3), timeout: timeout) == .bits([true, false, true]))
        #expect(try bus.send(unit: 1, .writeSingleRegister(address: 300, value: 11), timeout: timeout) == .written)
        #expect(try bus.send(unit: 1, .writeMultipleRegisters(address: 301, values: [12, 13]), timeout: timeout) == .written)
        #expect(try bus.send(unit: 1, .writeSingleCoil(address: 1, value: true), timeout: timeout) == .written)
        #expect(try bus.send(unit: 1, .writeMultipleCoils(address: 30, values: [true, false, true]), timeout: timeout) == .written)
        #expect(try bus.send(unit: 1, .readWriteMultipleRegisters(readAddress: 300, readCount: 3, writeAddress: 303, values: [14]), timeout: timeout)
            == .registers([11, 12, 13]))
        #expect(try bus.send(unit: 1, .read(.coils, address: 30, count: 3), timeout: timeout) == .bits([true, false, true]))
        do {
            _ = try bus.send(unit: 1, .read(.holding, address: 1000, count: 1), timeout: timeout)
            Issue.record("illegal address accepted")
        } catch {
            #expect(error.exception == .illegalDataAddress)
        }
        // Broadcast: no reply awaited, every unit applies it.
        let start = ContinuousClock.now
        #expect(try bus.send(unit: 0, .writeSingleRegister(address: 340, value: 4242), timeout: timeout) == .written)
        #expect(ContinuousClock.now - start < .milliseconds(500))
        #expect(throws: ModbusError.self) { try bus.send(unit: 0, .read(.holding, address: 0, count: 1), timeout: timeout) }
        #expect(throws: ModbusError.self) { try bus.send(unit: 248, .read(.holding, address: 0, count: 1), timeout: timeout) }
        var applied = false
        for _ in 0..<20 where !applied {
            applied = try bus.send(unit: 2, .read(.holding, address: 340, count: 1), timeout: timeout) == .registers([4242])
            if !applied { sleepMillis(20) }
        }
        #expect(applied)
    }

    @Test func silentUnitTimesOut() throws {
        let pty = try SerialPTYPair()
        let peer = try ModbusPeer(["rtu", pty.b, "--baud", "115200", "--parity", "N", "--units", "1", "--silent", "9"])
        defer { peer.stop() }
        let bus = try ModbusRTUTransport(line: ModbusSerialLine(path: pty.a, baud: 115_200, parity: .none))
        defer { bus.close() }
        let start = ContinuousClock.now
        do {
            _ = try bus.send(unit: 9, .read(.holding, address: 0, count: 1), timeout: .milliseconds(200))
            Issue.record("unit 9 answered")
        } catch {
            #expect(error.kind == .timeout)
        }
        #expect(ContinuousClock.now - start < .milliseconds(800))
        #expect(try bus.send(unit: 1, .read(.holding, address: 4, count: 1), timeout: .seconds(2)) == .registers([4]))
    }

    @Test func deadUnitDoesNotStarveLiveUnits() async throws {
        let pty = try SerialPTYPair()
        let peer = try ModbusPeer(["rtu", pty.b, "--baud", "115200", "--parity", "N", "--units", "1,2", "--silent", "7"])
        defer { peer.stop() }
        let line = ModbusSerialLine(path: pty.a, baud: 115_200, parity: .none)
        func unit(_ name: String, _ id: UInt8) -> ModbusDeviceSettings {
            var settings = ModbusDeviceSettings(name: name, transport: .rtu(line), unit: id,
                                                points: [ModbusPoint(name: "v", table: .holding, address: UInt16(id), periodMillis: 100)])
            settings.timeoutMillis = 150
            settings.reconnectInitialMillis = 300
            settings.reconnectMaxMillis = 1000
            return settings
        }
        let counter = PollCounter()
        let driver = ModbusRTUPortDriver(line: line, devices: [unit("unit-1", 1), unit("dead-7", 7), unit("unit-2", 2)]) { counter.record($0) }
        let sink = CollectingSink()
        let task = Task { await driver.run(into: sink) }
        // The dead unit costs its first three timeouts (450 ms of bus time), then backs off to
        // probes every 0.3-1 s: measure the live units over 2 s after that.
        try await Task.sleep(for: .milliseconds(1000))
        let before = (counter.ok("unit-1"), counter.ok("unit-2"))
        try await Task.sleep(for: .milliseconds(2000))
        let polled = (counter.ok("unit-1") - before.0, counter.ok("unit-2") - before.1)
        task.cancel()
        await task.value
        // 2 s at 100 ms is 20 polls each; each probe of the dead unit holds the bus 150 ms.
        #expect(polled.0 >= 15, "unit-1 polled \(polled.0) times in 2 s")
        #expect(polled.1 >= 15, "unit-2 polled \(polled.1) times in 2 s")
        #expect(counter.failed("dead-7") >= 3)
        let health = driver.unitHealth()
        #expect(health[1].errors["timeout", default: 0] >= 3)
        #expect(health[1].lastError?.contains("dead-7") == true)
        #expect(sink.latest("v") != nil)
        #expect(Set(sink.all.map(\.source)) == ["unit-1", "unit-2"])
        #expect(sink.all.first { $0.source == "unit-2" }?.value == .integer(2))
    }
}

func sleepMillis(_ millis: Int) {
    var request = timespec(tv_sec: 0, tv_nsec: millis * 1_000_000)
    nanosleep(&request, nil)
}
