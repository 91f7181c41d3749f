/// The gateway's error: a code that callers can match, a message that names the input and the
/// fix, and an optional underlying cause.
///
/// `Code` is a struct over a private enum so new cases can be added without breaking callers.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidConfig = "invalid config"
            case malformedInput = "malformed input"
            case unsupportedFormat = "unsupported format"
            case storage = "storage"
            case io = "i/o"
            case network = "network"
            case notFound = "not found"
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        public static let invalidConfig = Code(.invalidConfig)
        public static let malformedInput = Code(.malformedInput)
        public static let unsupportedFormat = Code(.unsupportedFormat)
        public static let storage = Code(.storage)
        public static let io = Code(.io)
        public static let network = Code(.network)
        public static let notFound = Code(.notFound)

        public var description: String { value.rawValue }
    }

    public var code: Code
    public var message: String
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(message) (\(cause))" }
        return message
    }
}
