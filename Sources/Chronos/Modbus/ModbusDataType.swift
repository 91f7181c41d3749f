/// How a point's registers (or bit) become a value.
public enum ModbusDataType: Sendable, Equatable, Hashable {
    case u16, i16, u32, i32, f32, f64, bool
    /// Text of `registers` 16-bit registers (two characters each), trailing NULs and spaces dropped.
    case string(registers: Int)

    /// Parses `u16`, `i16`, `u32`, `i32`, `f32`, `f64`, `bool`, `string`.
    public init?(name: String, stringRegisters: Int = 1) {
        switch name.lowercased() {
        case "u16", "uint16": self = .u16
        case "i16", "int16": self = .i16
        case "u32", "uint32": self = .u32
        case "i32", "int32": self = .i32
        case "f32", "float32", "float": self = .f32
        case "f64", "float64", "double": self = .f64
        case "bool", "boolean": self = .bool
        case "string", "text": self = .string(registers: stringRegisters)
        default: return nil
        }
    }

    public static let names = "u16, i16, u32, i32, f32, f64, bool, string"

    /// Registers the value occupies (a bool in a register table occupies one).
    public var registerCount: Int {
        switch self {
        case .u16, .i16, .bool: 1
        case .u32, .i32, .f32: 2
        case .f64: 4
        case .string(let registers): registers
        }
    }

    public var name: String {
        switch self {
        case .u16: "u16"
        case .i16: "i16"
        case .u32: "u32"
        case .i32: "i32"
        case .f32: "f32"
        case .f64: "f64"
        case .bool: "bool"
        case .string: "string"
        }
    }
}
