/// One Modbus request PDU (function code and data), independent of the transport.
public enum ModbusRequest: Sendable, Equatable {
    /// Function codes 1-4.
    case read(ModbusTable, address: UInt16, count: UInt16)
    /// Function code 5.
    case writeSingleCoil(address: UInt16, value: Bool)
    /// Function code 6.
    case writeSingleRegister(address: UInt16, value: UInt16)
    /// Function code 15.
    case writeMultipleCoils(address: UInt16, values: [Bool])
    /// Function code 16.
    case writeMultipleRegisters(address: UInt16, values: [UInt16])
    /// Function code 23: write first, then read, in one transaction.
    case readWriteMultipleRegisters(readAddress: UInt16, readCount: UInt16, writeAddress: UInt16, values: [UInt16])

    public var functionCode: UInt8 {
        switch self {
        case .read(let table, _, _): table.readFunction
        case .writeSingleCoil: 5
        case .writeSingleRegister: 6
        case .writeMultipleCoils: 15
        case .writeMultipleRegisters: 16
        case .readWriteMultipleRegisters: 23
        }
    }

    /// Checks the quantities against the protocol's limits (so a device never sees a request
    /// it must reject) and that the range does not run past address 65535.
    public func validate() throws(ModbusError) {
        func check(_ what: String, _ count: Int, _ limit: Int, _ address: UInt16) throws(ModbusError) {
            guard count >= 1, count <= limit else {
                throw ModbusError(.invalidRequest, "\(what) count \(count) is outside 1...\(limit); split the request")
            }
            guard Int(address) + count <= 65536 else {
                throw ModbusError(.invalidRequest, "\(what) of \(count) at address \(address) runs past 65535; lower the address or the count")
            }
        }
        switch self {
        case .read(let table, let address, let count): try check("read of \(table.rawValue)", Int(count), table.maxReadCount, address)
        case .writeSingleCoil, .writeSingleRegister: break
        case .writeMultipleCoils(let address, let values): try check("coil write", values.count, 1968, address)
        case .writeMultipleRegisters(let address, let values): try check("register write", values.count, 123, address)
        case .readWriteMultipleRegisters(let readAddress, let readCount, let writeAddress, let values):
            try check("read/write read part", Int(readCount), 125, readAddress)
            try check("read/write write part", values.count, 121, writeAddress)
        }
    }

    /// The PDU bytes: function code, then big-endian fields.
    public func encode() -> [UInt8] {
        var bytes: [UInt8] = [functionCode]
        bytes.reserveCapacity(16)
        func put(_ value: UInt16) { bytes.append(UInt8(value >> 8)); bytes.append(UInt8(value & 0xFF)) }
        switch self {
        case .read(_, let address, let count):
            put(address); put(count)
        case .writeSingleCoil(let address, let value):
            put(address); put(value ? 0xFF00 : 0x0000)
        case .writeSingleRegister(let address, let value):
            put(address); put(value)
        case .writeMultipleCoils(let address, let values):
            put(address); put(UInt16(values.count))
            let packed = ModbusBits.pack(values)
            bytes.append(UInt8(packed.count))
            bytes += packed
        case .writeMultipleRegisters(let address, let values):
            put(address); put(UInt16(values.count))
            bytes.append(UInt8(values.count * 2))
            for value in values { put(value) }
        case .readWriteMultipleRegisters(let readAddress, let readCount, let writeAddress, let values):
            put(readAddress); put(readCount); put(writeAddress); put(UInt16(values.count))
            bytes.append(UInt8(values.count * 2))
            for value in values { put(value) }
        }
        return bytes
    }

    /// Parses the reply PDU to this request. Exceptions throw `.exception` with the code;
    /// replies that do not match the request (function, byte count, echo) throw `.malformed`.
    public func decodeResponse(_ pdu: [UInt8]) throws(ModbusError) -> ModbusResponse {
        guard let function = pdu.first else { throw ModbusError(.malformed, "empty reply") }
        if function == functionCode | 0x80 {
            guard pdu.count >= 2 else { throw ModbusError(.malformed, "exception reply without a code") }
            let code = ModbusExceptionCode(pdu[1])
            throw ModbusError(.exception, "exception \(code) to function \(functionCode); \(code.hint)", exception: code)
        }
        guard function == functionCode else {
            throw ModbusError(.malformed, "reply has function \(function), the request had \(functionCode)")
        }
        func word(_ at: Int) -> UInt16 { UInt16(pdu[at]) << 8 | UInt16(pdu[at + 1]) }
        switch self {
        case .read(let table, _, let count):
            guard pdu.count >= 2, Int(pdu[1]) == pdu.count - 2 else {
                throw ModbusError(.malformed, "read reply's byte count does not match its length")
            }
            if table.isBits {
                guard Int(pdu[1]) == (Int(count) + 7) / 8 else {
                    throw ModbusError(.malformed, "read reply has \(pdu[1]) bytes for \(count) bits")
                }
                return .bits(ModbusBits.unpack(pdu[2...], count: Int(count)))
            }
            return .registers(try Self.registers(pdu, count: Int(count)))
        case .readWriteMultipleRegisters(_, let readCount, _, _):
            guard pdu.count >= 2, Int(pdu[1]) == pdu.count - 2 else {
                throw ModbusError(.malformed, "read/write reply's byte count does not match its length")
            }
            return .registers(try Self.registers(pdu, count: Int(readCount)))
        case .writeSingleCoil, .writeSingleRegister, .writeMultipleCoils, .writeMultipleRegisters:
            guard pdu.count == 5 else { throw ModbusError(.malformed, "write reply has \(pdu.count) bytes, expected 5") }
            let sent = encode()
            guard word(1) == UInt16(sent[1]) << 8 | UInt16(sent[2]), word(3) == UInt16(sent[3]) << 8 | UInt16(sent[4]) else {
                throw ModbusError(.malformed, "write reply does not echo the request's address and value/quantity")
            }
            return .written
        }
    }

    private static func registers(_ pdu: [UInt8], count: Int) throws(ModbusError) -> [UInt16] {
        guard Int(pdu[1]) == count * 2 else {
            throw ModbusError(.malformed, "read reply has \(pdu[1]) bytes for \(count) registers")
        }
        var values = [UInt16](repeating: 0, count: count)
        for index in 0..<count {
            values[index] = UInt16(pdu[2 + 2 * index]) << 8 | UInt16(pdu[3 + 2 * index])
        }
        return values
    }
}

/// A parsed reply.
public enum ModbusResponse: Sendable, Equatable {
    case registers([UInt16])
    case bits([Bool])
    case written
}
