/// What the diffusion engine could not work with: an inconsistent model, too little data to fit
/// one, or vectors of the wrong size. Messages name the input and what to do about it.
public struct DiffusionError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable { case invalidModel = "invalid_model", notEnoughData = "not_enough_data", invalidSettings = "invalid_settings", dimensionMismatch = "dimension_mismatch" }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        /// Model parameters of the wrong size, not finite, or not positive definite.
        public static let invalidModel = Code(.invalidModel)
        /// Fewer frames than a fit needs.
        public static let notEnoughData = Code(.notEnoughData)
        /// A schedule or sampler setting out of range.
        public static let invalidSettings = Code(.invalidSettings)
        /// A vector whose length is not the model's dimension.
        public static let dimensionMismatch = Code(.dimensionMismatch)
        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
