/// An append-only RFC 9162 Merkle tree over a `MerkleNodeStore`.
///
/// Appending costs amortised O(1) hashes; roots of any earlier size and proofs cost O(log n) node
/// reads. `MerkleTree<InMemoryNodeStore>()` keeps everything in memory; the gateway's SQLite store
/// will conform to `MerkleNodeStore` and be used the same way.
public struct MerkleTree<Store: MerkleNodeStore> {
    public private(set) var store: Store
    /// Number of leaves.
    public private(set) var count: UInt64

    /// Wraps a store that already holds the nodes of `count` leaves.
    public init(store: Store, count: UInt64) {
        self.store = store
        self.count = count
    }

    /// Appends an entry (hashed as a leaf) and returns its index.
    @discardableResult
    public mutating func append(entry: some Sequence<UInt8>) throws -> UInt64 {
        try append(leafHash: Hash.leaf(Array(entry)))
    }

    /// Appends an already computed leaf hash and returns its index.
    @discardableResult
    public mutating func append(leafHash: Hash) throws -> UInt64 {
        let index = count
        try store.appendLeaf(leafHash, at: index)
        count += 1
        return index
    }

    /// Current root.
    public func rootHash() throws -> Hash { try store.rootHash(size: count) }

    /// Root of the tree made of the first `size` leaves.
    public func rootHash(size: UInt64) throws -> Hash {
        try checkSize(size)
        return try store.rootHash(size: size)
    }

    public func inclusionProof(index: UInt64, size: UInt64) throws -> [Hash] {
        try checkSize(size)
        return try store.inclusionProof(index: index, size: size)
    }

    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) throws -> [Hash] {
        try checkSize(newSize)
        return try store.consistencyProof(from: oldSize, to: newSize)
    }

    private func checkSize(_ size: UInt64) throws {
        guard size <= count else {
            throw LedgerError(.invalidTreeSize, "tree size \(size) is beyond the log, which has \(count) leaves")
        }
    }
}

extension MerkleTree where Store == InMemoryNodeStore {
    /// An empty in-memory tree.
    public init() {
        self.init(store: InMemoryNodeStore(), count: 0)
    }
}

extension MerkleTree: Sendable where Store: Sendable {}
