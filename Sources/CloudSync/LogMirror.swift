import Foundation
import Logging

/// The cloud's mirror of every enrolled gateway's log: what the HTTP routes call.
///
/// Kept apart from HTTP so the rules (decode, verify in one transaction, log the outcome) read in
/// one place and tests can drive them without a server. Logs one line per batch, accepted or
/// rejected, with its origin, indices and code; never entry contents.
public struct LogMirror: Sendable {
    public let storage: any CloudStorage
    public let limits: CloudSyncConfig.Limits
    let logger: Logger

    public init(storage: any CloudStorage, limits: CloudSyncConfig.Limits, logger: Logger) {
        self.storage = storage
        self.limits = limits
        self.logger = logger
    }

    /// Verifies and stores a pushed `SyncBatch` (protobuf bytes); returns the state after it.
    public func push(origin: String, body: Data) async throws -> GatewayLogState {
        var metadata: Logger.Metadata = ["gateway.origin": "\(origin)", "batch.bytes": "\(body.count)"]
        do {
            let batch = try SyncBatchSubmission(protobuf: body, pathOrigin: origin, limits: limits)
            metadata["batch.first_index"] = "\(batch.firstIndex)"
            metadata["batch.count"] = "\(batch.entries.count)"
            let outcome = try await storage.ingest(batch, now: unixMicrosNow())
            metadata["log.size"] = "\(outcome.state.size)"
            switch outcome {
            case .appended: logger.info("batch accepted", metadata: metadata)
            case .alreadyHeld: logger.info("batch already held (retry acknowledged, nothing stored)", metadata: metadata)
            }
            return outcome.state
        } catch let error as CloudSyncError {
            logRejected(error, metadata: metadata)
            throw error
        }
    }

    /// Logs a batch refused before it reached `push` (too large, wrong content type), so every
    /// rejection leaves the same line.
    public func logRejected(_ error: CloudSyncError, origin: String) {
        logRejected(error, metadata: ["gateway.origin": "\(origin)"])
    }

    private func logRejected(_ error: CloudSyncError, metadata: Logger.Metadata) {
        var metadata = metadata
        metadata["error.code"] = "\(error.code)"
        metadata["error.message"] = "\(error.message)"
        logger.info("batch rejected", metadata: metadata)
    }

    /// The accepted state of `origin` (size 0 and no checkpoint before the first batch).
    public func state(origin: String) async throws -> GatewayLogState {
        try await storage.state(origin: origin)
    }

    /// Up to `limit` accepted entries of `origin` from index `since`, in index order.
    public func entries(origin: String, since: UInt64, limit: Int) async throws -> [StoredEntry] {
        try await storage.entries(origin: origin, from: since, limit: limit)
    }
}
