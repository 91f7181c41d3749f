import Chronos
import GatewayCore
import Testing

@Suite struct ModbusProtocolTests {
    @Test func crcMatchesKnownVectors() {
        #expect(ModbusCRC.appending(to: [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A]).suffix(2) == [0xC5, 0xCD])
        #expect(ModbusCRC.appending(to: [0x01, 0x03, 0x00, 0x00, 0x00, 0x01]).suffix(2) == [0x84, 0x0A])
        // Modbus over Serial Line v1.02, the read holding registers example.
        #expect(ModbusCRC.appending(to: [0x11, 0x03, 0x00, 0x6B, 0x00, 0x03]).suffix(2) == [0x76, 0x87])
        #expect(ModbusCRC.isValid([0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD]))
        #expect(!ModbusCRC.isValid([0x01, 0x03, 0x00, 0x00, 0x00, 0x0B, 0xC5, 0xCD]))
    }

    @Test func rtuTimingAt9600() {
        let plain = RTUTiming(baud: 9600, parity: false, stopBits: 1)
        #expect(plain.bitsPerCharacter == 10)
        #expect(abs(plain.characterMicroseconds - 1041.667) < 0.01)
        #expect(abs(plain.interFrameMicroseconds - 3645.833) < 0.01)
        #expect(abs(plain.interCharacterMicroseconds - 1562.5) < 0.01)
        let parity = RTUTiming(baud: 9600, parity: true, stopBits: 1)
        #expect(parity.bitsPerCharacter == 11)
        #expect(abs(parity.interFrameMicroseconds - 4010.417) < 0.01)
        #expect(abs(parity.interCharacterMicroseconds - 1718.75) < 0.01)
        #expect(RTUTiming(baud: 9600, parity: false, stopBits: 2).bitsPerCharacter == 11)
    }

    @Test func rtuTimingIsFixedAbove19200() {
        let fast = RTUTiming(baud: 115_200, parity: false, stopBits: 1)
        #expect(fast.interFrameMicroseconds == 1750)
        #expect(fast.interCharacterMicroseconds == 750)
        #expect(abs(fast.characterMicroseconds - 86.806) < 0.01)
        let edge = RTUTiming(baud: 19200, parity: true, stopBits: 1)
        #expect(abs(edge.interFrameMicroseconds - 2005.208) < 0.01)
    }

    @Test func requestsEncodeEveryFunctionCode() {
        #expect(ModbusRequest.read(.coils, address: 0x13, count: 0x13).encode() == [0x01, 0x00, 0x13, 0x00, 0x13])
        #expect(ModbusRequest.read(.discrete, address: 0xC4, count: 0x16).encode() == [0x02, 0x00, 0xC4, 0x00, 0x16])
        #expect(ModbusRequest.read(.holding, address: 0x6B, count: 3).encode() == [0x03, 0x00, 0x6B, 0x00, 0x03])
        #expect(ModbusRequest.read(.input, address: 8, count: 1).encode() == [0x04, 0x00, 0x08, 0x00, 0x01])
        #expect(ModbusRequest.writeSingleCoil(address: 0xAC, value: true).encode() == [0x05, 0x00, 0xAC, 0xFF, 0x00])
        #expect(ModbusRequest.writeSingleRegister(address: 1, value: 3).encode() == [0x06, 0x00, 0x01, 0x00, 0x03])
        // The specification's example: 10 coils from 19, 1100 1101 0000 0001.
        let coils: [Bool] = [true, false, true, true, false, false, true, true, true, false]
        #expect(ModbusRequest.writeMultipleCoils(address: 0x13, values: coils).encode() == [0x0F, 0x00, 0x13, 0x00, 0x0A, 0x02, 0xCD, 0x01])
        #expect(ModbusRequest.writeMultipleRegisters(address: 1, values: [0x000A, 0x0102]).encode() == [0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0A, 0x01, 0x02])
        #expect(ModbusRequest.readWriteMultipleRegisters(readAddress: 3, readCount: 6, writeAddress: 0x0E, values: [0x00FF, 0x00FF, 0x00FF]).encode()
            == [0x17, 0x00, 0x03, 0x00, 0x06, 0x00, 0x0E, 0x00, 0x03, 0x06, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF])
    }

    @Test func responsesDecodeAndCheckTheRequest() throws {
        let read = ModbusRequest.read(.holding, address: 0x6B, count: 3)
        #expect(try read.decodeResponse([0x03, 0x06, 0x02, 0x2B, 0x00, 0x00, 0x00, 0x64]) == .registers([0x022B, 0, 0x64]))
        #expect(throws: ModbusError.self) { try read.decodeResponse([0x03, 0x04, 0x02, 0x2B, 0x00, 0x00]) }
        #expect(throws: ModbusError.self) { try read.decodeResponse([0x04, 0x02, 0x00, 0x01]) }
        let bits = ModbusRequest.read(.coils, address: 0x13, count: 10)
        #expect(try bits.decodeResponse([0x01, 0x02, 0xCD, 0x01]) == .bits([true, false, true, true, false, false, true, true, true, false]))
        let write = ModbusRequest.writeSingleRegister(address: 1, value: 3)
        #expect(try write.decodeResponse([0x06, 0x00, 0x01, 0x00, 0x03]) == .written)
        #expect(throws: ModbusError.self) { try write.decodeResponse([0x06, 0x00, 0x01, 0x00, 0x04]) }
    }

    @Test func exceptionsCarryNameAndCode() {
        let read = ModbusRequest.read(.holding, address: 0, count: 1)
        for (code, name) in [(0x01, "illegal function (01)"), (0x02, "illegal data address (02)"), (0x03, "illegal data value (03)"),
                             (0x04, "server device failure (04)"), (0x05, "acknowledge (05)"), (0x06, "server device busy (06)"),
                             (0x0A, "gateway path unavailable (0A)"), (0x0B, "gateway target device failed to respond (0B)")] {
            do {
                _ = try read.decodeResponse([0x83, UInt8(code)])
                Issue.record("exception \(code) did not throw")
            } catch {
                #expect(error.kind == .exception)
                #expect(error.exception == ModbusExceptionCode(UInt8(code)))
                #expect(error.message.contains(name), "\(error.message)")
            }
        }
        #expect(ModbusExceptionCode.serverDeviceBusy.isRetryable && ModbusExceptionCode.acknowledge.isRetryable)
        #expect(!ModbusExceptionCode.illegalDataAddress.isRetryable)
    }

    @Test func requestsOutsideTheLimitsAreRefused() {
        #expect(throws: ModbusError.self) { try ModbusRequest.read(.holding, address: 0, count: 126).validate() }
        #expect(throws: ModbusError.self) { try ModbusRequest.read(.coils, address: 0, count: 2001).validate() }
        #expect(throws: ModbusError.self) { try ModbusRequest.read(.holding, address: 65535, count: 2).validate() }
        #expect(throws: Never.self) { try ModbusRequest.read(.coils, address: 0, count: 2000).validate() }
    }

    @Test func mbapFramesEncode() {
        #expect(MBAPFrame(transactionID: 0x1234, unit: 0x11, pdu: [0x03, 0x00, 0x6B, 0x00, 0x03]).encode()
            == [0x12, 0x34, 0x00, 0x00, 0x00, 0x06, 0x11, 0x03, 0x00, 0x6B, 0x00, 0x03])
    }
}
