/// One configured value on a device: where it is, how to decode it, how often to read it.
public struct ModbusPoint: Sendable, Equatable {
    public var name: String
    public var table: ModbusTable
    public var address: UInt16
    public var type: ModbusDataType
    public var layout: ModbusLayout
    public var scale: Double
    public var offset: Double
    public var unit: String
    public var periodMillis: Int
    /// nil: emit every reading; otherwise emit only when the value moved by more than this
    /// since the last emitted sample (or the device's heartbeat elapsed).
    public var deadband: Double?
    /// Writes to this point are allowed (they are refused otherwise).
    public var writable: Bool

    public init(
        name: String, table: ModbusTable, address: UInt16, type: ModbusDataType = .u16, layout: ModbusLayout = ModbusLayout(),
        scale: Double = 1, offset: Double = 0, unit: String = "", periodMillis: Int = 1000, deadband: Double? = nil, writable: Bool = false
    ) {
        self.name = name
        self.table = table
        self.address = address
        self.type = table.isBits ? .bool : type
        self.layout = layout
        self.scale = scale
        self.offset = offset
        self.unit = unit
        self.periodMillis = periodMillis
        self.deadband = deadband
        self.writable = writable
    }

    /// Addresses the point covers in its table: one bit, or its registers.
    public var width: Int { table.isBits ? 1 : type.registerCount }
}
