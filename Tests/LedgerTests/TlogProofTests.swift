import Foundation
import Testing
import Ledger

@Suite("tlog-proof@v1 round trips")
struct TlogProofTests {
    struct Fixture {
        let entries: [[UInt8]]
        let tree: MerkleTree<InMemoryNodeStore>
        let key: NoteSignerKey
        let checkpoint: Checkpoint
        let signedCheckpoint: String
    }

    private func fixture(count: Int = 1000) throws -> Fixture {
        var generator = SystemRandomNumberGenerator()
        var tree = MerkleTree()
        var entries: [[UInt8]] = []
        for i in 0..<count {
            let entry = Array("event \(i) ".utf8) + (0..<Int.random(in: 0..<40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            entries.append(entry)
            try tree.append(entry: entry)
        }
        let key = try NoteSignerKey.generate(name: "gateway.example/log")
        let checkpoint = try Checkpoint(origin: "gateway.example/log", size: tree.count, rootHash: tree.rootHash())
        return Fixture(entries: entries, tree: tree, key: key, checkpoint: checkpoint, signedCheckpoint: try checkpoint.signedNote(with: [key]))
    }

    private func proofText(_ f: Fixture, index: Int, entry: [UInt8]? = nil) throws -> String {
        try TlogProof(
            entry: entry ?? f.entries[index], index: UInt64(index), tree: f.tree, checkpoint: f.checkpoint,
            signedCheckpoint: f.signedCheckpoint
        ).formatted
    }

    private func failure(_ body: () throws -> Void) -> LedgerError? {
        do {
            try body()
            return nil
        } catch let error as LedgerError {
            return error
        } catch {
            Issue.record("non-Ledger error \(error)")
            return nil
        }
    }

    @Test func randomEntriesOfA1000LeafTreeVerify() throws {
        let f = try fixture()
        for index in (0..<50).map({ _ in Int.random(in: 0..<1000) }) + [0, 999, 511, 512] {
            let text = try proofText(f, index: index)
            #expect(text.hasPrefix("c2sp.org/tlog-proof@v1\nextra "))
            let parsed = try TlogProof.parse(text)
            #expect(parsed.formatted == text)
            let result = try TlogProof.verify(text, verifierKeys: [f.key.verifierKey], origin: "gateway.example/log")
            #expect(result.entry == f.entries[index])
            #expect(result.index == UInt64(index))
            #expect(result.checkpoint == f.checkpoint)
        }
    }

    @Test func layout() throws {
        let f = try fixture(count: 5)
        let text = try proofText(f, index: 2)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "c2sp.org/tlog-proof@v1")
        #expect(lines[1] == "extra " + Data(f.entries[2]).base64EncodedString())
        #expect(lines[2] == "index 2")
        let proof = try f.tree.inclusionProof(index: 2, size: 5)
        #expect(lines[3..<(3 + proof.count)].map(String.init) == proof.map(\.base64))
        #expect(lines[3 + proof.count] == "")
        #expect(text.hasSuffix("\n\n" + f.signedCheckpoint))
    }

    @Test func tamperedEntryFailsInclusion() throws {
        let f = try fixture()
        var entry = f.entries[123]
        entry[0] ^= 1
        let error = failure { _ = try TlogProof.verify(try proofText(f, index: 123, entry: entry), verifierKeys: [f.key.verifierKey]) }
        #expect(error?.code == .rootMismatch)
        #expect(error?.message.hasPrefix("tlog-proof step 3") == true)
    }

    @Test func wrongIndexFailsInclusion() throws {
        let f = try fixture()
        let text = try proofText(f, index: 200).replacingOccurrences(of: "\nindex 200\n", with: "\nindex 201\n")
        let error = failure { _ = try TlogProof.verify(text, verifierKeys: [f.key.verifierKey]) }
        #expect(error?.code == .rootMismatch)
        #expect(error?.message.hasPrefix("tlog-proof step 3") == true)
        let beyond = try proofText(f, index: 200).replacingOccurrences(of: "\nindex 200\n", with: "\nindex 1000\n")
        #expect(failure { _ = try TlogProof.verify(beyond, verifierKeys: [f.key.verifierKey]) }?.code == .indexOutOfRange)
    }

    @Test func wrongKeyFailsSignatureStep() throws {
        let f = try fixture()
        let other = try NoteSignerKey.generate(name: "gateway.example/log")
        let error = failure { _ = try TlogProof.verify(try proofText(f, index: 7), verifierKeys: [other.verifierKey]) }
        #expect(error?.code == .noVerifiedSignature)
        #expect(error?.message.hasPrefix("tlog-proof step 2") == true)
        let origin = failure {
            _ = try TlogProof.verify(try proofText(f, index: 7), verifierKeys: [f.key.verifierKey], origin: "other")
        }
        #expect(origin?.code == .originMismatch)
    }

    @Test func tamperedCheckpointFailsSignatureStep() throws {
        let f = try fixture()
        let text = try proofText(f, index: 7).replacingOccurrences(of: "\n1000\n", with: "\n1001\n")
        let error = failure { _ = try TlogProof.verify(text, verifierKeys: [f.key.verifierKey]) }
        #expect(error?.code == .invalidSignature)
    }

    @Test func malformedProofs() throws {
        let f = try fixture(count: 4)
        let good = try proofText(f, index: 1)
        for bad in [
            good.replacingOccurrences(of: "tlog-proof@v1", with: "tlog-proof@v2"),
            good.replacingOccurrences(of: "\nextra ", with: "\nentry "),
            good.replacingOccurrences(of: "\nindex 1\n", with: "\nindex 01\n"),
            good.replacingOccurrences(of: "\nindex 1\n", with: "\nindex 1\nnot-base64!\n"),
            "c2sp.org/tlog-proof@v1\nextra AA==\nindex 0\n",
        ] {
            let error = failure { _ = try TlogProof.verify(bad, verifierKeys: [f.key.verifierKey]) }
            #expect(error?.code == .malformedProof, "\(bad)")
        }
    }
}
