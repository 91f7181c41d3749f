/// Storage for the hashes of the perfect subtrees of an append-only Merkle log.
///
/// The node at `level` L and `index` i is the root of the perfect subtree over leaves
/// `[i * 2^L, (i + 1) * 2^L)`; level 0 holds the leaf hashes. These nodes never change once written,
/// so a store can be an in-memory array (`InMemoryNodeStore`) or an SQLite table keyed by
/// (level, index). Everything else (roots of any size, inclusion and consistency proofs) is computed
/// from them in O(log n) lookups by the extension in `MerkleNodeStore+Tree.swift`.
///
/// The store does not track the tree size: the owner (e.g. `MerkleTree`) does, so a database can keep
/// the size in the same transaction as its entries.
public protocol MerkleNodeStore {
    /// The stored node, or nil if it was never written.
    func node(level: Int, index: UInt64) throws -> Hash?

    /// Writes a node. `appendLeaf` calls it in append order: the leaf, then each newly completed parent.
    mutating func setNode(_ hash: Hash, level: Int, index: UInt64) throws
}
