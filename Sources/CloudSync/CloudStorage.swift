import Foundation
import Ledger

/// Where the cloud keeps its mirrors of the gateways' logs: SQLite (`SQLiteCloudStorage`, the
/// embedded default) or PostgreSQL (`PostgresCloudStorage`, shared by several replicas).
///
/// Every check of a batch lives in `BatchVerifier`, which runs synchronously against a
/// `CloudLedgerTransaction`: SQLite hands it a live transaction; PostgreSQL first loads, inside
/// its transaction, exactly what the verifier reads (key, accepted checkpoint, the perfect
/// subtrees of one size, held entries for a retry), then writes what the verifier stored.
public protocol CloudStorage: Sendable {
    /// Makes exactly `gateways` enrolled: inserts new origins, updates changed keys, and removes
    /// the enrollment (not the stored log) of origins no longer listed.
    func enroll(_ gateways: [EnrolledGateway]) async throws -> EnrollmentChanges

    /// Verifies `batch` with `BatchVerifier` and stores it, in one transaction: committed (and
    /// durable) before this returns, rolled back if any check fails. Batches of one origin are
    /// serialised, so each sees an accepted state no other batch is changing.
    func ingest(_ batch: SyncBatchSubmission, now: Int64) async throws -> BatchVerifier.Outcome

    /// The accepted state of `origin`; `unknownOrigin` if it is not enrolled.
    func state(origin: String) async throws -> GatewayLogState

    /// Up to `limit` accepted entries of `origin` from `index`, in index order; `unknownOrigin` if
    /// it is not enrolled.
    func entries(origin: String, from index: UInt64, limit: Int) async throws -> [StoredEntry]

    /// Flushes and closes; later calls fail.
    func close() async throws
}

extension CloudSyncError {
    static func notEnrolled(_ origin: String) -> CloudSyncError {
        CloudSyncError(.unknownOrigin, "origin '\(origin)' is not enrolled; check the name (it is the first line of the gateway's checkpoints) or enroll it in the service's gateways config")
    }
}

/// The reads and writes `BatchVerifier` needs inside one transaction, for one origin at a time.
/// Implementations answer from the transaction's snapshot and write into it; none of these
/// commits anything.
public protocol CloudLedgerTransaction {
    associatedtype Nodes: MerkleNodeStore

    /// The enrolled key of `origin`, or nil when `origin` is not enrolled.
    func verifierKey(origin: String) throws -> NoteVerifierKey?
    /// The newest accepted checkpoint of `origin`, or nil before the first.
    func latestCheckpoint(origin: String) throws -> AcceptedCheckpoint?
    /// The perfect-subtree nodes of the cloud's copy of `origin`'s tree (see `MerkleNodeStore`).
    func nodes(origin: String) throws -> Nodes
    /// Stored entries `index ..< index + limit` (fewer at the end of the log), in index order.
    func entries(origin: String, from index: UInt64, limit: Int) throws -> [StoredEntry]
    /// Stores entries `firstIndex ...` of `origin` (never called for indices already stored).
    func insertEntries(_ entries: [Data], origin: String, firstIndex: UInt64) throws
    /// Stores a verified checkpoint as the newest of `origin`.
    func insertCheckpoint(_ checkpoint: AcceptedCheckpoint, origin: String, acceptedAt: Int64) throws
}

/// What `CloudStorage.enroll` changed, for the start-up log.
public struct EnrollmentChanges: Sendable, Equatable {
    public var added: [String] = []
    public var keyChanged: [String] = []
    /// Origins enrolled before but absent from the config: refused from now on, their log kept.
    public var removed: [String] = []
    public init() {}
}
