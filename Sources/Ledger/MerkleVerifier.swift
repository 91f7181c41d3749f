/// Stateless verification of RFC 9162 proofs. Failures throw `LedgerError` whose `code` is the
/// reason: `.indexOutOfRange`, `.invalidTreeSize`, `.proofSizeMismatch`, `.rootMismatch`, or
/// `.invalidHashLength` for the byte-array overloads.
public enum MerkleVerifier {
    /// RFC 9162 §2.1.3.2: checks that `leafHash` is leaf `index` of the tree of `size` leaves with `root`.
    public static func verifyInclusion(leafHash: Hash, index: UInt64, size: UInt64, proof: [Hash], root: Hash) throws {
        let computed = try rootFromInclusionProof(leafHash: leafHash, index: index, size: size, proof: proof)
        guard computed == root else {
            throw LedgerError(
                .rootMismatch,
                "inclusion proof for leaf \(index) of tree size \(size) gives root \(computed), not the expected \(root)")
        }
    }

    /// The root that an inclusion proof implies (RFC 9162 §2.1.3.2 steps 1-4 and the `sn == 0` check).
    public static func rootFromInclusionProof(leafHash: Hash, index: UInt64, size: UInt64, proof: [Hash]) throws -> Hash {
        guard index < size else {
            throw LedgerError(.indexOutOfRange, "leaf index \(index) is not below tree size \(size)")
        }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else {
                throw LedgerError(
                    .proofSizeMismatch,
                    "inclusion proof for leaf \(index) of tree size \(size) has \(proof.count) hashes, too many")
            }
            if fn & 1 == 1 || fn == sn {
                r = Hash.node(p, r)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                r = Hash.node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw LedgerError(
                .proofSizeMismatch,
                "inclusion proof for leaf \(index) of tree size \(size) has \(proof.count) hashes, too few")
        }
        return r
    }

    /// RFC 9162 §2.1.4.2: checks that the tree of `oldSize` leaves with `oldRoot` is a prefix of the
    /// tree of `newSize` leaves with `newRoot`. Equal sizes need an empty proof and equal roots;
    /// `oldSize` 0 with a larger `newSize` is rejected (such a proof proves nothing).
    public static func verifyConsistency(
        oldSize: UInt64, newSize: UInt64, oldRoot: Hash, newRoot: Hash, proof: [Hash]
    ) throws {
        guard oldSize <= newSize else {
            throw LedgerError(.invalidTreeSize, "old tree size \(oldSize) is larger than new tree size \(newSize)")
        }
        if oldSize == newSize {
            guard proof.isEmpty else {
                throw LedgerError(
                    .proofSizeMismatch,
                    "consistency proof between equal sizes \(oldSize) must be empty, has \(proof.count) hashes")
            }
            guard oldRoot == newRoot else {
                throw LedgerError(.rootMismatch, "trees of equal size \(oldSize) have different roots \(oldRoot) and \(newRoot)")
            }
            return
        }
        guard oldSize > 0 else {
            throw LedgerError(
                .invalidTreeSize, "consistency proof from tree size 0 proves nothing; the old size must be at least 1")
        }
        guard !proof.isEmpty else {
            throw LedgerError(
                .proofSizeMismatch, "consistency proof from size \(oldSize) to \(newSize) is empty")
        }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else {
                throw LedgerError(
                    .proofSizeMismatch,
                    "consistency proof from size \(oldSize) to \(newSize) has \(proof.count) hashes, too many")
            }
            if fn & 1 == 1 || fn == sn {
                fr = Hash.node(c, fr)
                sr = Hash.node(c, sr)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                sr = Hash.node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw LedgerError(
                .proofSizeMismatch,
                "consistency proof from size \(oldSize) to \(newSize) has \(proof.count) hashes, too few")
        }
        guard fr == oldRoot else {
            throw LedgerError(
                .rootMismatch, "consistency proof gives old root \(fr) for size \(oldSize), not the expected \(oldRoot)")
        }
        guard sr == newRoot else {
            throw LedgerError(
                .rootMismatch, "consistency proof gives new root \(sr) for size \(newSize), not the expected \(newRoot)")
        }
    }
}

// Byte-array forms for proofs from the wire: every value must be exactly 32 bytes.
extension MerkleVerifier {
    public static func verifyInclusion(
        leafHash: [UInt8], index: UInt64, size: UInt64, proof: [[UInt8]], root: [UInt8]
    ) throws {
        try verifyInclusion(
            leafHash: Hash(validating: leafHash, what: "leaf hash"), index: index, size: size,
            proof: hashes(proof, what: "inclusion proof"), root: Hash(validating: root, what: "root hash"))
    }

    public static func verifyConsistency(
        oldSize: UInt64, newSize: UInt64, oldRoot: [UInt8], newRoot: [UInt8], proof: [[UInt8]]
    ) throws {
        try verifyConsistency(
            oldSize: oldSize, newSize: newSize,
            oldRoot: Hash(validating: oldRoot, what: "old root hash"),
            newRoot: Hash(validating: newRoot, what: "new root hash"),
            proof: hashes(proof, what: "consistency proof"))
    }

    private static func hashes(_ values: [[UInt8]], what: String) throws -> [Hash] {
        try values.enumerated().map { try Hash(validating: $1, what: "\(what) element \($0)") }
    }
}
