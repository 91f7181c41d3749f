/// The four Modbus data tables.
public enum ModbusTable: String, Sendable, CaseIterable, Hashable, Codable {
    case coils, discrete, holding, input

    /// Coils and discrete inputs are bits; holding and input registers are 16-bit words.
    public var isBits: Bool { self == .coils || self == .discrete }

    /// The read function code: 1, 2, 3 or 4.
    public var readFunction: UInt8 {
        switch self {
        case .coils: 1
        case .discrete: 2
        case .holding: 3
        case .input: 4
        }
    }

    /// The largest quantity one read may ask for: 2000 bits or 125 registers.
    public var maxReadCount: Int { isBits ? 2000 : 125 }

    /// Whether the table can be written (coils and holding registers).
    public var isWritable: Bool { self == .coils || self == .holding }
}
