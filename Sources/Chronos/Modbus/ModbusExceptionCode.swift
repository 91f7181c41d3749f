/// A Modbus exception code from a reply with the function code's high bit set.
public struct ModbusExceptionCode: Hashable, Sendable, CustomStringConvertible {
    public let code: UInt8

    public init(_ code: UInt8) { self.code = code }

    public static let illegalFunction = ModbusExceptionCode(0x01)
    public static let illegalDataAddress = ModbusExceptionCode(0x02)
    public static let illegalDataValue = ModbusExceptionCode(0x03)
    public static let serverDeviceFailure = ModbusExceptionCode(0x04)
    public static let acknowledge = ModbusExceptionCode(0x05)
    public static let serverDeviceBusy = ModbusExceptionCode(0x06)
    public static let negativeAcknowledge = ModbusExceptionCode(0x07)
    public static let memoryParityError = ModbusExceptionCode(0x08)
    public static let gatewayPathUnavailable = ModbusExceptionCode(0x0A)
    public static let gatewayTargetNoResponse = ModbusExceptionCode(0x0B)

    /// The specification's name, for example "illegal data address".
    public var name: String {
        switch code {
        case 0x01: "illegal function"
        case 0x02: "illegal data address"
        case 0x03: "illegal data value"
        case 0x04: "server device failure"
        case 0x05: "acknowledge"
        case 0x06: "server device busy"
        case 0x07: "negative acknowledge"
        case 0x08: "memory parity error"
        case 0x0A: "gateway path unavailable"
        case 0x0B: "gateway target device failed to respond"
        default: "unknown exception"
        }
    }

    /// What to do about it, for error messages.
    public var hint: String {
        switch code {
        case 0x01: "the device does not support this function code; check its manual for the tables it serves"
        case 0x02: "the address or count is outside the device's map; check the point's address, table and type"
        case 0x03: "the device rejected the value or quantity; check the count and the value's range"
        case 0x04: "the device failed while handling the request; check the device"
        case 0x05, 0x06: "the device is busy; the request was retried with backoff"
        case 0x0A, 0x0B: "the Modbus gateway could not reach the target unit; check the unit id and the serial line behind the gateway"
        default: "see the device's manual"
        }
    }

    /// "illegal data address (02)".
    public var description: String {
        let hex = String(code, radix: 16, uppercase: true)
        return "\(name) (\(hex.count < 2 ? "0" + hex : hex))"
    }

    /// Whether a retry after a short wait can succeed (acknowledge, busy).
    public var isRetryable: Bool { code == 0x05 || code == 0x06 }
}
