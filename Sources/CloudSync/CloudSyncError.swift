import Hummingbird

/// The one error type of the CloudSync module.
///
/// `code` is what a client switches on: it is sent as the `error` field of every JSON error body,
/// and it fixes the HTTP status, so the gateway can tell "resend from elsewhere" (409) from "this
/// batch can never be accepted" (400, 403, 413, 422) without parsing messages. `message` says what
/// was wrong, with which input, and what to do.
public struct CloudSyncError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case unknownOrigin = "unknown_origin"
            case originMismatch = "origin_mismatch"
            case badSignature = "bad_signature"
            case malformedBatch = "malformed_batch"
            case gap
            case stalePrevious = "stale_previous"
            case inconsistent
            case rootMismatch = "root_mismatch"
            case oversized
            case badRequest = "bad_request"
            case notFound = "not_found"
            case invalidConfig = "invalid_config"
            case storage = "storage_error"
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The origin is not enrolled (not in the config's `gateways`). 404.
        public static let unknownOrigin = Code(.unknownOrigin)
        /// The path, the batch and the checkpoint name different origins. 400.
        public static let originMismatch = Code(.originMismatch)
        /// The checkpoint is not signed by the origin's enrolled verifier key. 403.
        public static let badSignature = Code(.badSignature)
        /// The body is not a usable `SyncBatch` (not protobuf, empty, bad hash sizes, bad note). 400.
        public static let malformedBatch = Code(.malformedBatch)
        /// The batch starts beyond the accepted size: entries in between are missing. 409.
        public static let gap = Code(.gap)
        /// The batch was built against another accepted size than the cloud's. 409.
        public static let stalePrevious = Code(.stalePrevious)
        /// The new checkpoint does not extend the accepted one (bad proof, or a fork). 409.
        public static let inconsistent = Code(.inconsistent)
        /// The entries do not hash to the checkpoint's root (altered, dropped, added, reordered). 422.
        public static let rootMismatch = Code(.rootMismatch)
        /// More entries or bytes than the configured limits. 413.
        public static let oversized = Code(.oversized)
        /// A query parameter or path is unusable (not batch contents). 400.
        public static let badRequest = Code(.badRequest)
        /// No such route. 404.
        public static let notFound = Code(.notFound)
        /// The config file is unusable; raised at start-up only.
        public static let invalidConfig = Code(.invalidConfig)
        /// The database failed; the request can be retried. 500.
        public static let storage = Code(.storage)

        /// The wire name, as sent in `{"error": ...}`.
        public var description: String { value.rawValue }

        /// The HTTP status a response with this code carries.
        public var status: HTTPResponse.Status {
            switch value {
            case .unknownOrigin, .notFound: .notFound
            case .originMismatch, .malformedBatch, .badRequest, .invalidConfig: .badRequest
            case .badSignature: .forbidden
            case .gap, .stalePrevious, .inconsistent: .conflict
            case .rootMismatch: .unprocessableContent
            case .oversized: .contentTooLarge
            case .storage: .internalServerError
            }
        }
    }

    public let code: Code
    public let message: String
    public let cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(code): \(message) (cause: \(cause))" }
        return "\(code): \(message)"
    }
}
