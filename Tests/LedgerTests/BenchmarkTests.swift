import Foundation
import Testing
import Ledger

/// Timing print, not an assertion. Set LEDGER_BENCH_LEAVES (e.g. 1000000) to choose the tree size;
/// run in release for meaningful numbers: `swift test -c release --filter LedgerTests.BenchmarkTests`.
@Suite("Timing")
struct BenchmarkTests {
    @Test func proofsPerSecond() throws {
        let leaves = UInt64(ProcessInfo.processInfo.environment["LEDGER_BENCH_LEAVES"] ?? "") ?? 20_000
        let clock = ContinuousClock()
        var tree = MerkleTree()
        let appendTime = try clock.measure {
            for i in 0..<leaves {
                var n = i.bigEndian
                try tree.append(entry: withUnsafeBytes(of: &n) { Array($0) })
            }
        }
        let root = try tree.rootHash()
        let samples = 20_000
        var indexes: [UInt64] = []
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<samples { indexes.append(UInt64.random(in: 0..<leaves, using: &generator)) }
        var proofs: [[Hash]] = []
        proofs.reserveCapacity(samples)
        let proveTime = try clock.measure {
            for index in indexes { proofs.append(try tree.inclusionProof(index: index, size: leaves)) }
        }
        let verifyTime = try clock.measure {
            for (index, proof) in zip(indexes, proofs) {
                var n = index.bigEndian
                let leaf = Hash.leaf(withUnsafeBytes(of: &n) { Array($0) })
                try MerkleVerifier.verifyInclusion(leafHash: leaf, index: index, size: leaves, proof: proof, root: root)
            }
        }
        let consistencyTime = try clock.measure {
            for index in indexes { _ = try tree.consistencyProof(from: index + 1, to: leaves) }
        }
        func perSecond(_ d: Duration, _ n: Int) -> Int {
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            return Int(Double(n) / max(seconds, 1e-9))
        }
        print(
            "ledger timing: \(leaves) leaves appended in \(appendTime) (\(perSecond(appendTime, Int(leaves))) leaves/s); "
                + "inclusion proofs \(perSecond(proveTime, samples))/s; verifications \(perSecond(verifyTime, samples))/s; "
                + "consistency proofs \(perSecond(consistencyTime, samples))/s")
    }
}
