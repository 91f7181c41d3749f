import TestPeers
import Chronos
import GatewayCore
import Testing

/// The client against Tools/modbus-peer.py bad: the start address picks the misbehaviour.
@Suite(.serialized) struct ModbusMisbehavingServerTests {
    private func connect(_ port: Int, wrong: Count? = nil) async throws -> ModbusTCPConnection {
        try await ModbusTCPConnection.connect(host: "127.0.0.1", port: port, interByteTimeout: .milliseconds(100)) { _ in
            wrong?.add()
        }
    }

    @Test func slowReplyTimesOutAndIsDiscardedWhenItArrives() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.bad(port: port)
        defer { peer.stop() }
        let wrong = Count()
        let connection = try await connect(port, wrong: wrong)
        let start = ContinuousClock.now
        do {
            _ = try await connection.send(unit: 1, .read(.holding, address: 2, count: 1), timeout: .milliseconds(300))
            Issue.record("slow reply was accepted")
        } catch {
            #expect(error.kind == .timeout)
            #expect(error.message.contains("300 ms"))
        }
        // The reply comes after 1.5 s: the timeout fired well before it.
        #expect(ContinuousClock.now - start < .milliseconds(1400))
        // The late reply (1.5 s) is not taken as the answer to the next request.
        #expect(try await connection.send(unit: 1, .read(.holding, address: 1, count: 2), timeout: .seconds(3)) == .registers([1, 2]))
        let late = await eventually(within: 3) { wrong.value == 1 }
        #expect(late)
        await connection.close()
    }

    @Test func wrongTransactionIDIsSkippedUntilTheRightOne() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.bad(port: port)
        defer { peer.stop() }
        let wrong = Count()
        let connection = try await connect(port, wrong: wrong)
        #expect(try await connection.send(unit: 1, .read(.holding, address: 3, count: 2), timeout: .seconds(2)) == .registers([3, 4]))
        #expect(wrong.value == 1)
        do {
            _ = try await connection.send(unit: 1, .read(.holding, address: 4, count: 1), timeout: .milliseconds(300))
            Issue.record("a reply with a wrong id was accepted")
        } catch {
            #expect(error.kind == .timeout)
        }
        #expect(wrong.value == 2)
        // A reply carrying the previous request's id is not applied to this one.
        #expect(try await connection.send(unit: 1, .read(.holding, address: 1, count: 1), timeout: .seconds(2)) == .registers([1]))
        do {
            _ = try await connection.send(unit: 1, .read(.holding, address: 9, count: 1), timeout: .milliseconds(300))
            Issue.record("a stale id was accepted")
        } catch {
            #expect(error.kind == .timeout)
        }
        #expect(wrong.value == 3)
        await connection.close()
    }

    @Test func byteByByteReplyIsReassembled() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.bad(port: port)
        defer { peer.stop() }
        let connection = try await connect(port)
        #expect(try await connection.send(unit: 1, .read(.holding, address: 5, count: 3), timeout: .seconds(3)) == .registers([5, 6, 7]))
        await connection.close()
    }

    @Test func partialReplyFailsAfterTheInterByteTimeout() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.bad(port: port)
        defer { peer.stop() }
        let connection = try await connect(port)
        let start = ContinuousClock.now
        do {
            _ = try await connection.send(unit: 1, .read(.holding, address: 6, count: 4), timeout: .seconds(3))
            Issue.record("partial reply was accepted")
        } catch {
            #expect(error.kind == .partialFrame)
        }
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(await eventually(within: 2) { !connection.isActive })
    }

    @Test func exceptionCodesAndClosedConnections() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.bad(port: port)
        defer { peer.stop() }
        let connection = try await connect(port)
        for code: UInt16 in [1, 2, 3, 4, 10, 11] {
            do {
                _ = try await connection.send(unit: 1, .read(.holding, address: 7, count: code), timeout: .seconds(2))
                Issue.record("exception \(code) not thrown")
            } catch {
                #expect(error.exception == ModbusExceptionCode(UInt8(code)))
            }
        }
        do {
            _ = try await connection.send(unit: 1, .read(.holding, address: 10, count: 1), timeout: .seconds(2))
            Issue.record("garbage accepted")
        } catch {
            #expect(error.kind == .malformed)
        }
        let second = try await connect(port)
        do {
            _ = try await second.send(unit: 1, .read(.holding, address: 8, count: 1), timeout: .seconds(2))
            Issue.record("closed connection answered")
        } catch {
            #expect(error.kind == .closed)
        }
    }

    @Test func pipelinedRequestsAreMatchedById() async throws {
        let port = ModbusPeer.freePort()
        let peer = try ModbusPeer.bad(port: port)
        defer { peer.stop() }
        let connection = try await connect(port)
        try await withThrowingTaskGroup(of: (UInt16, ModbusResponse).self) { group in
            for address in stride(from: UInt16(20), to: 120, by: 5) {
                group.addTask { (address, try await connection.send(unit: 1, .read(.holding, address: address, count: 2), timeout: .seconds(3))) }
            }
            var seen = 0
            for try await (address, response) in group {
                #expect(response == .registers([address, address + 1]))
                seen += 1
            }
            #expect(seen == 20)
        }
        await connection.close()
    }
}
