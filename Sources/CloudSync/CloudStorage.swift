import Foundation
import Ledger

/// Where the cloud keeps its mirrors of the gateways' logs. SQLite (`SQLiteCloudStorage`) today;
/// a PostgreSQL implementation only has to provide these transactions: every check of a batch
/// lives in `BatchVerifier`, which runs against any `CloudLedgerTransaction`.
public protocol CloudStorage: Sendable {
    associatedtype Transaction: CloudLedgerTransaction

    /// Makes exactly `gateways` enrolled: inserts new origins, updates changed keys, and removes
    /// the enrollment (not the stored log) of origins no longer listed.
    func enroll(_ gateways: [EnrolledGateway]) async throws -> EnrollmentChanges

    /// Runs `body` in one write transaction: committed if it returns, rolled back if it throws.
    /// Writes are serialised, so a batch sees the accepted state no other batch is changing.
    func write<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T

    /// Runs `body` on a consistent snapshot, concurrently with writes.
    func read<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T

    /// Flushes and closes; later calls fail.
    func close() async throws
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
