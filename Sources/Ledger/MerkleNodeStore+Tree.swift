/// RFC 9162 tree math over stored perfect-subtree nodes.
///
/// Every function reads O(log n) nodes: a tree of any size n decomposes into at most 64 perfect
/// subtrees (one per set bit of n), and a proof contains at most one node that is not a stored perfect
/// subtree (the "ephemeral" node on the right border), which is folded from that decomposition.
extension MerkleNodeStore {
    /// Stores `leafHash` as leaf number `index` (which must equal the current tree size) and the
    /// parents it completes.
    public mutating func appendLeaf(_ leafHash: Hash, at index: UInt64) throws {
        try setNode(leafHash, level: 0, index: index)
        var hash = leafHash
        var i = index
        var level = 0
        while i & 1 == 1 {
            let left = try requireNode(level: level, index: i - 1)
            hash = Hash.node(left, hash)
            level += 1
            i >>= 1
            try setNode(hash, level: level, index: i)
        }
    }

    /// Root of the tree made of the first `size` leaves (MTH(D[0:size]), RFC 9162 §2.1.1).
    public func rootHash(size: UInt64) throws -> Hash {
        size == 0 ? Hash.emptyTreeRoot : try rangeHash(from: 0, to: size)
    }

    /// Inclusion proof of leaf `index` in the tree of `size` leaves: RFC 9162 §2.1.3.1 PATH(m, D[n]),
    /// bottom-up (proof[0] is the leaf's sibling).
    public func inclusionProof(index: UInt64, size: UInt64) throws -> [Hash] {
        guard index < size else {
            throw LedgerError(.indexOutOfRange, "leaf index \(index) is not below tree size \(size)")
        }
        var proof: [Hash] = []
        var level = 0
        // At each level, the sibling of the path node is included if it starts inside the tree; it is
        // truncated at `size` (and so computed, not stored) at most once, on the right border.
        while level < 64, UInt64(1) << level < size {
            let sibling = (index >> level) ^ 1
            let start = sibling << level
            if start < size {
                let width = min(UInt64(1) << level, size - start)
                proof.append(try rangeHash(from: start, to: start + width))
            }
            level += 1
        }
        return proof
    }

    /// Consistency proof between the trees of `oldSize` and `newSize` leaves: RFC 9162 §2.1.4.1
    /// PROOF(m, D[n]). Empty when the sizes are equal; `oldSize` 0 is rejected (it proves nothing).
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) throws -> [Hash] {
        guard oldSize <= newSize else {
            throw LedgerError(.invalidTreeSize, "old tree size \(oldSize) is larger than new tree size \(newSize)")
        }
        if oldSize == newSize { return [] }
        guard oldSize > 0 else {
            throw LedgerError(
                .invalidTreeSize, "a consistency proof from tree size 0 proves nothing; use an old size of at least 1")
        }
        var proof: [Hash] = []
        try subproof(m: oldSize, start: 0, count: newSize, complete: true, into: &proof)
        return proof
    }

    /// SUBPROOF(m, D[start : start+count], b) of RFC 9162 §2.1.4.1.
    private func subproof(m: UInt64, start: UInt64, count: UInt64, complete: Bool, into proof: inout [Hash]) throws {
        if m == count {
            if !complete { proof.append(try rangeHash(from: start, to: start + count)) }
            return
        }
        let k = largestPowerOfTwo(below: count)
        if m <= k {
            try subproof(m: m, start: start, count: k, complete: complete, into: &proof)
            proof.append(try rangeHash(from: start + k, to: start + count))
        } else {
            try subproof(m: m - k, start: start + k, count: count - k, complete: false, into: &proof)
            let level = k.trailingZeroBitCount
            proof.append(try requireNode(level: level, index: start >> level))
        }
    }

    /// MTH(D[start:end]) where `start` is a multiple of the largest power of two not above
    /// `end - start` (true for every subtree RFC 9162 proofs use): the perfect subtrees of the range,
    /// left to right, folded from the right.
    func rangeHash(from start: UInt64, to end: UInt64) throws -> Hash {
        let width = end - start
        if width != 0 && width & (width - 1) == 0 {  // a stored perfect subtree
            let level = width.trailingZeroBitCount
            return try requireNode(level: level, index: start >> level)
        }
        var parts: [Hash] = []
        var cursor = start
        var remaining = end - start
        while remaining > 0 {
            let level = 63 - remaining.leadingZeroBitCount
            parts.append(try requireNode(level: level, index: cursor >> level))
            cursor += UInt64(1) << level
            remaining -= UInt64(1) << level
        }
        guard var hash = parts.last else { return Hash.emptyTreeRoot }
        for part in parts.dropLast().reversed() {
            hash = Hash.node(part, hash)
        }
        return hash
    }

    func requireNode(level: Int, index: UInt64) throws -> Hash {
        guard let hash = try node(level: level, index: index) else {
            throw LedgerError(
                .missingNode,
                "node store has no node at level \(level), index \(index); the store is incomplete or the size is beyond its log")
        }
        return hash
    }
}

/// The largest power of two strictly below `n` (n >= 2): the split point k of RFC 9162 §2.1.1.
func largestPowerOfTwo(below n: UInt64) -> UInt64 {
    UInt64(1) << (63 - (n - 1).leadingZeroBitCount)
}
