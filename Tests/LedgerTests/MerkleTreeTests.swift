import Testing
import Ledger

/// Cross-checks the store-based tree against a direct recursive RFC 9162 implementation.
@Suite("MerkleTree against the RFC 9162 definitions")
struct MerkleTreeTests {
    private func mth(_ leaves: ArraySlice<Hash>) -> Hash {
        if leaves.isEmpty { return Hash.emptyTreeRoot }
        if leaves.count == 1, let only = leaves.first { return only }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let mid = leaves.startIndex + k
        return Hash.node(mth(leaves[..<mid]), mth(leaves[mid...]))
    }

    private func path(_ m: Int, _ leaves: ArraySlice<Hash>) -> [Hash] {
        if leaves.count <= 1 { return [] }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let mid = leaves.startIndex + k
        if m < k { return path(m, leaves[..<mid]) + [mth(leaves[mid...])] }
        return path(m - k, leaves[mid...]) + [mth(leaves[..<mid])]
    }

    private func subproof(_ m: Int, _ leaves: ArraySlice<Hash>, _ complete: Bool) -> [Hash] {
        if m == leaves.count { return complete ? [] : [mth(leaves)] }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let mid = leaves.startIndex + k
        if m <= k { return subproof(m, leaves[..<mid], complete) + [mth(leaves[mid...])] }
        return subproof(m - k, leaves[mid...], false) + [mth(leaves[..<mid])]
    }

    @Test func allProofsUpTo40Leaves() throws {
        var tree = MerkleTree()
        var leaves: [Hash] = []
        for i in 0..<40 {
            let entry = Array("entry \(i)".utf8)
            leaves.append(Hash.leaf(entry))
            try tree.append(entry: entry)
        }
        for n in 1...40 {
            let root = mth(leaves[..<n])
            #expect(try tree.rootHash(size: UInt64(n)) == root)
            for m in 0..<n {
                let proof = try tree.inclusionProof(index: UInt64(m), size: UInt64(n))
                #expect(proof == path(m, leaves[..<n]), "inclusion \(m)/\(n)")
                try MerkleVerifier.verifyInclusion(leafHash: leaves[m], index: UInt64(m), size: UInt64(n), proof: proof, root: root)
            }
            for m in 1...n {
                let proof = try tree.consistencyProof(from: UInt64(m), to: UInt64(n))
                #expect(proof == subproof(m, leaves[..<n], true), "consistency \(m)->\(n)")
                try MerkleVerifier.verifyConsistency(
                    oldSize: UInt64(m), newSize: UInt64(n), oldRoot: mth(leaves[..<m]), newRoot: root, proof: proof)
            }
        }
    }

    /// Counts node reads to check that proofs do not rehash the log.
    final class CountingStore: MerkleNodeStore, @unchecked Sendable {
        var inner = InMemoryNodeStore()
        var reads = 0
        func node(level: Int, index: UInt64) throws -> Hash? {
            reads += 1
            return try inner.node(level: level, index: index)
        }
        func setNode(_ hash: Hash, level: Int, index: UInt64) throws {
            try inner.setNode(hash, level: level, index: index)
        }
    }

    @Test func proofsReadLogarithmicallyManyNodes() throws {
        let store = CountingStore()
        var tree = MerkleTree(store: store, count: 0)
        let n: UInt64 = 100_003
        for i in 0..<n { try tree.append(leafHash: Hash.leaf(Array("\(i)".utf8))) }
        var worst = 0
        for (index, size) in [(0, n), (n - 1, n), (n / 2, n), (77_777, 99_999), (12_345, n)] as [(UInt64, UInt64)] {
            store.reads = 0
            _ = try tree.inclusionProof(index: index, size: size)
            _ = try tree.consistencyProof(from: index + 1, to: size)
            _ = try tree.rootHash(size: size)
            worst = max(worst, store.reads)
        }
        // log2(100003) ~ 17; each call reads at most ~2 log n nodes.
        #expect(worst <= 6 * 17, "worst case \(worst) node reads")
    }
}
