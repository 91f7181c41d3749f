import GatewayCore

/// Registers to typed values and back (for writes), with a layout and scaling.
public enum ModbusValueCodec {
    /// The raw value of `registers` (exactly `type.registerCount` of them) as integer, double,
    /// boolean or text: integers stay `.integer`, floats are `.number`.
    public static func decode(_ registers: ArraySlice<UInt16>, as type: ModbusDataType, layout: ModbusLayout) -> TelemetryValue {
        switch type {
        case .bool:
            return .boolean((registers.first ?? 0) != 0)
        case .string:
            var bytes: [UInt8] = []
            for word in registers {
                if layout.byteOrder == .big {
                    bytes.append(UInt8(word >> 8)); bytes.append(UInt8(word & 0xFF))
                } else {
                    bytes.append(UInt8(word & 0xFF)); bytes.append(UInt8(word >> 8))
                }
            }
            if let end = bytes.firstIndex(of: 0) { bytes.removeSubrange(end...) }
            let text = String(decoding: bytes, as: UTF8.self)
            return .text(String(text.reversed().drop(while: { $0 == " " }).reversed()))
        default:
            break
        }
        let bytes = layout.bytes(registers)
        var bits: UInt64 = 0
        for byte in bytes { bits = bits << 8 | UInt64(byte) }
        switch type {
        case .u16: return .integer(Int64(UInt16(truncatingIfNeeded: bits)))
        case .i16: return .integer(Int64(Int16(bitPattern: UInt16(truncatingIfNeeded: bits))))
        case .u32: return .integer(Int64(UInt32(truncatingIfNeeded: bits)))
        case .i32: return .integer(Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: bits))))
        case .f32: return .number(Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))))
        case .f64: return .number(Double(bitPattern: bits))
        case .bool, .string: return .integer(0)
        }
    }

    /// `raw * scale + offset` as `.number` when the point scales; otherwise `raw` unchanged.
    public static func scale(_ raw: TelemetryValue, scale: Double, offset: Double) -> TelemetryValue {
        guard scale != 1 || offset != 0 else { return raw }
        switch raw {
        case .integer(let value): return .number(Double(value) * scale + offset)
        case .number(let value): return .number(value * scale + offset)
        case .boolean, .text: return raw
        }
    }

    /// The registers for `text` (a number, or for strings the text) as `type`, laid out as
    /// `layout`. Errors name the value and the type's range.
    public static func encode(_ text: String, as type: ModbusDataType, layout: ModbusLayout) throws(ModbusError) -> [UInt16] {
        func bad(_ range: String) -> ModbusError {
            ModbusError(.invalidRequest, "value '\(text)' is not a valid \(type.name); use \(range)")
        }
        func integer() -> Int64? {
            let trimmed = text.lowercased()
            if trimmed.hasPrefix("0x") { return Int64(trimmed.dropFirst(2), radix: 16) }
            if trimmed.hasPrefix("-0x") { return Int64(trimmed.dropFirst(3), radix: 16).map { -$0 } }
            return Int64(trimmed)
        }
        let bits: UInt64
        let width: Int
        switch type {
        case .u16:
            guard let value = integer(), let narrow = UInt16(exactly: value) else { throw bad("0...65535") }
            bits = UInt64(narrow); width = 2
        case .i16:
            guard let value = integer(), let narrow = Int16(exactly: value) else { throw bad("-32768...32767") }
            bits = UInt64(UInt16(bitPattern: narrow)); width = 2
        case .u32:
            guard let value = integer(), let narrow = UInt32(exactly: value) else { throw bad("0...4294967295") }
            bits = UInt64(narrow); width = 4
        case .i32:
            guard let value = integer(), let narrow = Int32(exactly: value) else { throw bad("-2147483648...2147483647") }
            bits = UInt64(UInt32(bitPattern: narrow)); width = 4
        case .f32:
            guard let value = Float(text) else { throw bad("a number like 12.5") }
            bits = UInt64(value.bitPattern); width = 4
        case .f64:
            guard let value = Double(text) else { throw bad("a number like 12.5") }
            bits = value.bitPattern; width = 8
        case .bool:
            switch text.lowercased() {
            case "1", "true", "on": return [1]
            case "0", "false", "off": return [0]
            default: throw bad("0/1 or true/false")
            }
        case .string(let registers):
            var bytes = Array(text.utf8)
            guard bytes.count <= registers * 2 else { throw bad("at most \(registers * 2) bytes") }
            bytes += [UInt8](repeating: 0, count: registers * 2 - bytes.count)
            return ModbusLayout(byteOrder: layout.byteOrder, wordOrder: .big).registers(bytes)
        }
        var bytes = [UInt8](repeating: 0, count: width)
        for index in 0..<width { bytes[index] = UInt8(truncatingIfNeeded: bits >> UInt64(8 * (width - 1 - index))) }
        return layout.registers(bytes)
    }
}
