/// A Modbus failure: what went wrong (`kind`, also the health reason), and a message that names
/// the device or input and the fix.
public struct ModbusError: Error, Sendable, CustomStringConvertible, Equatable {
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case timeout, partialFrame = "partial_frame", exception, malformed, connect, closed
            case wrongTransactionID = "wrong_transaction_id", crc, wrongUnit = "wrong_unit", invalidRequest = "invalid_request"
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// No reply within the response timeout.
        public static let timeout = Kind(.timeout)
        /// A reply started but stopped before its end (inter-byte timeout).
        public static let partialFrame = Kind(.partialFrame)
        /// The device answered with a Modbus exception (see `exception`).
        public static let exception = Kind(.exception)
        /// The reply did not parse or did not match the request.
        public static let malformed = Kind(.malformed)
        public static let connect = Kind(.connect)
        /// The connection or port went away while a request was outstanding.
        public static let closed = Kind(.closed)
        public static let wrongTransactionID = Kind(.wrongTransactionID)
        public static let crc = Kind(.crc)
        public static let wrongUnit = Kind(.wrongUnit)
        /// The request itself is out of the protocol's limits (count, address, unit).
        public static let invalidRequest = Kind(.invalidRequest)

        /// The health reason (`timeout`, `exception`, `wrong_transaction_id`, ...).
        public var description: String { value.rawValue }
    }

    public var kind: Kind
    public var message: String
    /// Set when `kind` is `.exception`.
    public var exception: ModbusExceptionCode?

    public init(_ kind: Kind, _ message: String, exception: ModbusExceptionCode? = nil) {
        self.kind = kind
        self.message = message
        self.exception = exception
    }

    public var description: String { message }

    /// The same error with `context` (a device description) in front of its message.
    public func describing(_ context: String) -> ModbusError {
        ModbusError(kind, "\(context): \(message)", exception: exception)
    }
}
