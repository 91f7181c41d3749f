/// What the pull-sync routes need from the gateway's store, kept behind a protocol so the API
/// module depends on no storage code.
public protocol SyncPullProvider: Sendable {
    /// The serialized `SyncBatch` of the entries after `after`, ending at a signed checkpoint
    /// (at most `maxEntries` unless the next checkpoint is further); nil when no checkpoint
    /// covers more than `after` entries yet.
    func batch(after: UInt64, maxEntries: Int) async throws -> [UInt8]?
    /// Records that `destination` holds the first `size` entries; returns what is recorded
    /// (acknowledgements never move back). Throws ``APIError`` for a size never served.
    func acknowledge(size: UInt64, destination: String) async throws -> UInt64
}
