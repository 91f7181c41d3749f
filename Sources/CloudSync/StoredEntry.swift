import Foundation

/// One log entry as the cloud stores it, for clients listing what was accepted.
public struct StoredEntry: Sendable, Equatable {
    public var index: UInt64
    /// The serialized `LogEntry`, byte for byte as the gateway hashed it.
    public var bytes: Data

    public init(index: UInt64, bytes: Data) {
        self.index = index
        self.bytes = bytes
    }
}
