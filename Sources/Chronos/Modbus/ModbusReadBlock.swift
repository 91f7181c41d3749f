/// One read request of a polling plan: a range of one table, read every `periodMillis`, with
/// the points (indices into the device's point list) it covers.
public struct ModbusReadBlock: Sendable, Equatable {
    public var table: ModbusTable
    public var address: UInt16
    public var count: Int
    public var periodMillis: Int
    public var points: [Int]

    public var request: ModbusRequest { .read(table, address: address, count: UInt16(count)) }
}
