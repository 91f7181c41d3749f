/// The one error type of the Ledger module.
///
/// `code` says what kind of check failed (callers switch on it; cases can be added without breaking
/// them), `message` names the input and what was wrong with it, `cause` keeps an underlying error.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidHashLength
            case indexOutOfRange
            case invalidTreeSize
            case proofSizeMismatch
            case rootMismatch
            case missingNode
            case malformedCheckpoint
            case originMismatch
            case malformedKey
            case keyHashMismatch
            case malformedNote
            case invalidSignature
            case noVerifiedSignature
            case malformedProof
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A hash was not exactly 32 bytes.
        public static let invalidHashLength = Code(.invalidHashLength)
        /// A leaf index is not below the tree size.
        public static let indexOutOfRange = Code(.indexOutOfRange)
        /// Tree sizes are out of order, zero where that proves nothing, or beyond the log.
        public static let invalidTreeSize = Code(.invalidTreeSize)
        /// A proof has more or fewer hashes than the sizes require.
        public static let proofSizeMismatch = Code(.proofSizeMismatch)
        /// A proof recomputes to a root other than the one given.
        public static let rootMismatch = Code(.rootMismatch)
        /// The node store lacks a node the tree math needs (store corrupt or size beyond its log).
        public static let missingNode = Code(.missingNode)
        /// A checkpoint body breaks the C2SP tlog-checkpoint grammar.
        public static let malformedCheckpoint = Code(.malformedCheckpoint)
        /// A checkpoint is for another log than the one expected.
        public static let originMismatch = Code(.originMismatch)
        /// A verifier or signer key text is malformed, or a key name is invalid.
        public static let malformedKey = Code(.malformedKey)
        /// A key text's 4-byte key hash does not match its name and key.
        public static let keyHashMismatch = Code(.keyHashMismatch)
        /// A signed note breaks the C2SP signed-note grammar.
        public static let malformedNote = Code(.malformedNote)
        /// A signature from a known key did not verify.
        public static let invalidSignature = Code(.invalidSignature)
        /// No signature on the note is from any of the given verifier keys.
        public static let noVerifiedSignature = Code(.noVerifiedSignature)
        /// A tlog-proof text breaks its line grammar.
        public static let malformedProof = Code(.malformedProof)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String
    public let cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The same error with `context` put in front of the message (used to say which step failed).
    func prefixed(_ context: String) -> LedgerError {
        LedgerError(code, "\(context): \(message)", cause: cause)
    }

    public var description: String {
        if let cause { return "LedgerError.\(code): \(message) (cause: \(cause))" }
        return "LedgerError.\(code): \(message)"
    }
}
