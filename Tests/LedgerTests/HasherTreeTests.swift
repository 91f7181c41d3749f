import Testing
import Ledger

@Suite("RFC 9162 hasher and tree vectors")
struct HasherTreeTests {
    @Test func hasherVectors() throws {
        let vectors = try Vectors.load()
        #expect(vectors.hasher.cases.count == 5)
        for c in vectors.hasher.cases {
            let got: Hash
            switch c.kind {
            case "empty_root": got = Hash.emptyTreeRoot
            case "leaf": got = Hash.leaf(hex(c.input ?? ""))
            case "node": got = Hash.node(leftBytes: hex(c.left ?? ""), rightBytes: hex(c.right ?? ""))
            default:
                Issue.record("unknown hasher kind \(c.kind)")
                continue
            }
            #expect(got.hex == c.want, "\(c.desc)")
        }
    }

    @Test func treeRootsForSizes0To8() throws {
        let vectors = try Vectors.load()
        var tree = MerkleTree()
        #expect(try tree.rootHash().hex == vectors.tree.rootsBySize["0"])
        for (i, input) in vectors.tree.leafInputs.enumerated() {
            #expect(Hash.leaf(hex(input)).hex == vectors.tree.leafHashes[i])
            try tree.append(entry: hex(input))
            #expect(try tree.rootHash().hex == vectors.tree.rootsBySize["\(i + 1)"], "root of size \(i + 1)")
        }
        // Earlier roots from the full tree, without rehashing the log.
        for size in 0...8 {
            #expect(try tree.rootHash(size: UInt64(size)).hex == vectors.tree.rootsBySize["\(size)"])
        }
        #expect(vectors.tree.rootsBySize.count == 9)
    }

    @Test func storedNodesArePerfectSubtrees() throws {
        let vectors = try Vectors.load()
        var tree = MerkleTree()
        for input in vectors.tree.leafInputs { try tree.append(entry: hex(input)) }
        for (level, nodes) in vectors.tree.nodeHashesByLevel.enumerated() {
            for (index, want) in nodes.enumerated() {
                #expect(try tree.store.node(level: level, index: UInt64(index))?.hex == want, "node \(level)/\(index)")
            }
        }
    }

    @Test func hashRejectsWrongLengths() {
        #expect(throws: LedgerError.self) { try Hash(validating: [UInt8](repeating: 0, count: 31)) }
        do {
            _ = try Hash(validating: [UInt8](repeating: 0, count: 33), what: "root hash")
            Issue.record("33 bytes accepted")
        } catch let error as LedgerError {
            #expect(error.code == .invalidHashLength)
            #expect(error.message.contains("root hash"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func sizeBeyondTheLogIsRejected() throws {
        var tree = MerkleTree()
        try tree.append(entry: [1, 2, 3])
        #expect(throws: LedgerError.self) { try tree.rootHash(size: 2) }
        #expect(throws: LedgerError.self) { try tree.inclusionProof(index: 0, size: 2) }
        #expect(throws: LedgerError.self) { try tree.inclusionProof(index: 1, size: 1) }
        #expect(throws: LedgerError.self) { try tree.consistencyProof(from: 0, to: 1) }
    }
}
