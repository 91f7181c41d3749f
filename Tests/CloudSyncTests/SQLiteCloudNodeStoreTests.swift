import CloudSync
import Foundation
import Ledger
import Testing

/// The cloud's copy of a tree (nodes of level 4 and up stored, lower ones recomputed from entries)
/// answers exactly as the gateway's in-memory tree, at every size and for every proof.
@Suite struct SQLiteCloudNodeStoreTests {
    @Test func rootsAndProofsMatchTheGatewaysTreeAtEverySize() async throws {
        var gateway = try GatewayLogFixture(origin: "gw-nodes")
        var ranges: [(Int, Int)] = []
        var size = 0
        for count in [1, 2, 5, 8, 16, 17, 1, 33, 64] {
            try gateway.append(count)
            ranges.append((size, size + count))
            size += count
        }
        let batches = ranges
        let total = size
        let fixture = gateway
        try await CloudHarness.run(enrolling: [fixture], kinds: [.sqlite]) { harness, client in
            for (first, end) in batches {
                let reply = try await client.push(try fixture.batch(from: first, to: end, previous: first))
                #expect(reply.status == .ok, "\(reply.text)")
            }
            try await #require(harness.sqlite).read { tx in
                let nodes = try tx.nodes(origin: "gw-nodes")
                let cloud = MerkleTree(store: nodes, count: UInt64(total))
                for size in 1...UInt64(total) {
                    #expect(try cloud.rootHash(size: size) == fixture.tree.rootHash(size: size), "root at \(size)")
                    let index = size / 2
                    #expect(try cloud.inclusionProof(index: index, size: size) == fixture.tree.inclusionProof(index: index, size: size))
                    #expect(try cloud.consistencyProof(from: (size + 1) / 2, to: size) == fixture.tree.consistencyProof(from: (size + 1) / 2, to: size))
                }
                // Beyond the stored entries a low node does not exist (rather than hashing a short range).
                #expect(try nodes.node(level: 2, index: UInt64(total) / 4 + 1) == nil)
            }
        }
    }
}
