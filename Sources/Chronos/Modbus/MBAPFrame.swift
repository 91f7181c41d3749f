/// One Modbus TCP application data unit: the MBAP header (transaction id, protocol id 0,
/// length, unit id) and the PDU.
public struct MBAPFrame: Sendable, Equatable {
    public var transactionID: UInt16
    public var unit: UInt8
    public var pdu: [UInt8]

    public init(transactionID: UInt16, unit: UInt8, pdu: [UInt8]) {
        self.transactionID = transactionID
        self.unit = unit
        self.pdu = pdu
    }

    /// Header length on the wire (the length field counts the unit id and the PDU).
    public static let headerLength = 7
    /// The largest PDU (253 bytes) plus the unit id.
    public static let maxLengthField = 254

    public func encode() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.headerLength + pdu.count)
        let length = UInt16(pdu.count + 1)
        bytes += [UInt8(transactionID >> 8), UInt8(transactionID & 0xFF), 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), unit]
        bytes += pdu
        return bytes
    }
}
