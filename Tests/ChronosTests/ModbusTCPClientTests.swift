import TestPeers
import Chronos
import GatewayCore
import Testing

/// The client against pymodbus's TCP server (Tools/modbus-peer.py tcp).
@Suite(.serialized) struct ModbusTCPClientTests {
    @Test func everyFunctionCode() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.tcp(port: port)
        defer { peer.stop() }
        let connection = try await ModbusTCPConnection.connect(host: "127.0.0.1", port: port)
        let timeout = Duration.seconds(2)
        #expect(try await connection.send(unit: 1, .read(.holding, address: 0, count: 10), timeout: timeout) == .registers(Array(0..<10)))
        #expect(try await connection.send(unit: 1, .read(.input, address: 5, count: 3), timeout: timeout) == .registers([1005, 1006, 1007]))
        #expect(try await connection.send(unit: 1, .read(.coils, address: 0, count: 10), timeout: timeout) == .bits((0..<10).map { $0 % 3 == 0 }))
        #expect(try await connection.send(unit: 1, .read(.discrete, address: 3, count: 11), timeout: timeout) == .bits((3..<14).map { $0 % 2 == 0 }))
        #expect(try await connection.send(unit: 1, .writeSingleRegister(address: 300, value: 77), timeout: timeout) == .written)
        #expect(try await connection.send(unit: 1, .writeMultipleRegisters(address: 301, values: [5, 6, 7]), timeout: timeout) == .written)
        #expect(try await connection.send(unit: 1, .read(.holding, address: 300, count: 4), timeout: timeout) == .registers([77, 5, 6, 7]))
        #expect(try await connection.send(unit: 1, .readWriteMultipleRegisters(readAddress: 300, readCount: 2, writeAddress: 305, values: [42]), timeout: timeout)
            == .registers([77, 5]))
        #expect(try await connection.send(unit: 1, .read(.holding, address: 305, count: 1), timeout: timeout) == .registers([42]))
        #expect(try await connection.send(unit: 1, .writeSingleCoil(address: 1, value: true), timeout: timeout) == .written)
        #expect(try await connection.send(unit: 1, .writeMultipleCoils(address: 20, values: [true, true, false, true]), timeout: timeout) == .written)
        #expect(try await connection.send(unit: 1, .read(.coils, address: 0, count: 2), timeout: timeout) == .bits([true, true]))
        #expect(try await connection.send(unit: 1, .read(.coils, address: 20, count: 4), timeout: timeout) == .bits([true, true, false, true]))
        await connection.close()
    }

    @Test func everyTypeAndOrderFromTheServer() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.tcp(port: port)
        defer { peer.stop() }
        let connection = try await ModbusTCPConnection.connect(host: "127.0.0.1", port: port)
        guard case .registers(let registers) = try await connection.send(unit: 1, .read(.holding, address: 200, count: 64), timeout: .seconds(2)) else {
            Issue.record("not registers")
            return
        }
        for (name, address, type, layout, expected) in KnownMap.typed {
            let start = Int(address) - 200
            let value = ModbusValueCodec.decode(registers[start..<(start + type.registerCount)], as: type, layout: layout)
            #expect(value == expected, "\(name)")
        }
        await connection.close()
    }

    @Test func exceptionsAndBusyRetries() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.tcp(port: port)
        defer { peer.stop() }
        let connection = try await ModbusTCPConnection.connect(host: "127.0.0.1", port: port)
        let timeout = Duration.seconds(2)
        await #expect(throws: ModbusError.self) { try await connection.send(unit: 1, .read(.holding, address: 1000, count: 1), timeout: timeout) }
        do {
            _ = try await connection.send(unit: 1, .read(.holding, address: 1000, count: 1), timeout: timeout)
        } catch {
            #expect(error.exception == .illegalDataAddress)
            #expect(error.message.contains("illegal data address (02)"))
        }
        do {
            _ = try await connection.send(unit: 1, .writeSingleRegister(address: 300, value: 9999), timeout: timeout)
            Issue.record("9999 was accepted")
        } catch {
            #expect(error.exception == .illegalDataValue)
        }
        do {
            _ = try await connection.send(unit: 1, .read(.holding, address: 520, count: 1), timeout: timeout)
            Issue.record("520 answered")
        } catch {
            #expect(error.exception == .serverDeviceFailure)
        }
        // 500 answers busy twice in every three requests: without retries it fails, with them it reads.
        do {
            _ = try await connection.send(unit: 1, .read(.holding, address: 500, count: 1), timeout: timeout)
            Issue.record("busy was not reported")
        } catch {
            #expect(error.exception == .serverDeviceBusy)
        }
        let retry = ModbusRetry(retries: 3, initialDelay: .milliseconds(5))
        let busy = try await retry.run { () async throws(ModbusError) in try await connection.send(unit: 1, .read(.holding, address: 500, count: 1), timeout: timeout) }
        #expect(busy == .registers([0]))
        let acknowledged = try await retry.run { () async throws(ModbusError) in try await connection.send(unit: 1, .read(.holding, address: 510, count: 1), timeout: timeout) }
        #expect(acknowledged == .registers([0]))
        await connection.close()
    }

    @Test func connectFailureNamesTheAddress() async {
        let port = ModbusPeer.freePort()
        do {
            _ = try await ModbusTCPConnection.connect(host: "127.0.0.1", port: port, connectTimeout: .seconds(1))
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.kind == .connect)
            #expect(error.message.contains("127.0.0.1:\(port)"))
        }
    }
}
