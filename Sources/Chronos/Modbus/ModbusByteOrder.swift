/// Byte order within a register and word (register) order within a multi-register value.
/// Big/big is ABCD (the Modbus default), little/little DCBA, little/big BADC, big/little CDAB.
public enum ModbusByteOrder: String, Sendable, Equatable, Hashable, CaseIterable {
    case big, little
}

/// A value's layout across registers.
public struct ModbusLayout: Sendable, Equatable, Hashable {
    public var byteOrder: ModbusByteOrder
    public var wordOrder: ModbusByteOrder

    public init(byteOrder: ModbusByteOrder = .big, wordOrder: ModbusByteOrder = .big) {
        self.byteOrder = byteOrder
        self.wordOrder = wordOrder
    }

    /// The value's bytes, most significant first, from its registers as received.
    public func bytes(_ registers: ArraySlice<UInt16>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(registers.count * 2)
        let words = wordOrder == .big ? Array(registers) : registers.reversed()
        for word in words {
            if byteOrder == .big {
                bytes.append(UInt8(word >> 8)); bytes.append(UInt8(word & 0xFF))
            } else {
                bytes.append(UInt8(word & 0xFF)); bytes.append(UInt8(word >> 8))
            }
        }
        return bytes
    }

    /// The registers to send for a value's bytes (most significant first): the inverse of `bytes`.
    public func registers(_ bytes: [UInt8]) -> [UInt16] {
        var words: [UInt16] = []
        words.reserveCapacity(bytes.count / 2)
        var index = 0
        while index + 1 < bytes.count {
            let first = UInt16(bytes[index])
            let second = UInt16(bytes[index + 1])
            words.append(byteOrder == .big ? first << 8 | second : second << 8 | first)
            index += 2
        }
        if wordOrder == .little { words.reverse() }
        return words
    }
}
