import Foundation
import GRDB
import GatewayCore
import Ledger
import SensingProto
import Store
import Testing

/// The store's Merkle log: entries written with the events they mirror, per-source sequences,
/// checkpoints by count, proofs that verify offline, and all-or-nothing commits.
@Suite struct MerkleLogTests {
    let signer: NoteSignerKey

    init() throws {
        signer = try NoteSignerKey.generate(name: "gw.example/test")
    }

    func options(every entries: Int = 3, seconds: Double = 3600) -> StoreOptions {
        StoreOptions(log: LogOptions(signer: signer, checkpointEveryEntries: entries, checkpointEverySeconds: seconds))
    }

    @Test func eventsBecomeEntriesWithPerSourceSequences() async throws {
        try await withStore { store, _ in
            let events = [Fixtures.event("a", start: 1), Fixtures.event("b", start: 2), Fixtures.event("a", start: 3)]
            let result = try await store.write(StoreBatch(events: events))
            #expect(result.logEntries == 3)
            #expect(result.checkpointSize == nil, "no key, no checkpoint")
            #expect(try store.logSize() == 3)
            let decoded = try (0..<3).map { try PbLogEntry(serializedBytes: #require(try store.logEntry(index: $0))) }
            #expect(decoded.map(\.source) == ["a", "b", "a"])
            #expect(decoded.map(\.sourceSequence) == [0, 0, 1])
            #expect(decoded.map(\.event.startTimeUs) == [1, 2, 3])
            #expect(decoded[2].event.id == events[2].id)
            // Closing an interval event logs its final state as a new entry.
            var closed = events[0]
            closed.end = 10
            try await store.write(StoreBatch(events: [closed]))
            let last = try PbLogEntry(serializedBytes: #require(try store.logEntry(index: 3)))
            #expect(last.sourceSequence == 2 && last.event.endTimeUs == 10 && last.event.id == events[0].id)
            #expect(try store.logEntry(index: 4) == nil)
        }
    }

    @Test func checkpointsBySizeMatchAnInMemoryTreeAndProofsVerify() async throws {
        try await withStore(options: options(every: 3)) { store, _ in
            var sizes: [UInt64] = []
            for i in 0..<7 {
                let result = try await store.write(StoreBatch(events: [Fixtures.event(DeviceID("n\(i % 2)"), start: Int64(i))]))
                if let size = result.checkpointSize { sizes.append(size) }
            }
            #expect(sizes == [3, 6])
            let checkpoint = try #require(try store.latestCheckpoint())
            #expect(checkpoint.size == 6)
            let opened = try Checkpoint.open(checkpoint.signedNote, verifierKeys: [signer.verifierKey], origin: signer.name)
            var tree = MerkleTree<InMemoryNodeStore>()
            for i in 0..<6 { try tree.append(entry: try #require(try store.logEntry(index: UInt64(i)))) }
            #expect(opened.rootHash == (try tree.rootHash()))
            #expect(checkpoint.rootHash == opened.rootHash)
            for index: UInt64 in [0, 4, 5] {
                let proof = try store.proof(index: index)
                let verified = try TlogProof.verify(proof.formatted, verifierKeys: [signer.verifierKey], origin: signer.name)
                #expect(verified.index == index && verified.checkpoint.size == 6)
            }
            // Entry 6 is not under a checkpoint yet; 7 does not exist.
            #expect(throws: GatewayError.self) { try store.proof(index: 6) }
            do {
                _ = try store.proof(index: 6)
            } catch {
                #expect("\(error)".contains("newer than the latest checkpoint"))
            }
            #expect(try store.signCheckpoint(with: signer) == 7)
            #expect(try store.signCheckpoint(with: signer) == nil, "nothing new to cover")
            let old = try Checkpoint.open(checkpoint.signedNote, verifierKeys: [signer.verifierKey])
            let new = try Checkpoint.open(try #require(try store.latestCheckpoint()).signedNote, verifierKeys: [signer.verifierKey])
            try MerkleVerifier.verifyConsistency(oldSize: 6, newSize: 7, oldRoot: old.rootHash, newRoot: new.rootHash,
                                                 proof: try store.consistencyProof(from: 6, to: 7))
            _ = try TlogProof.verify(try store.proof(index: 6).formatted, verifierKeys: [signer.verifierKey])
        }
    }

    @Test func aCheckpointIsSignedWhenTheOldestUncoveredEntryIsOldEnough() async throws {
        try await withStore(options: options(every: 1000, seconds: 0)) { store, _ in
            let result = try await store.write(StoreBatch(events: [Fixtures.event(start: 1)]))
            #expect(result.checkpointSize == 1)
        }
    }

    /// The log commits with the rows it mirrors: a write that fails part-way leaves neither.
    @Test func aFailedWriteLeavesNoEntries() async throws {
        try await withStore(options: options(every: 1)) { store, directory in
            try await store.write(StoreBatch(events: [Fixtures.event(start: 1)]))
            // Another connection (as another process would) makes feature rows with 0 frames fail.
            let other = try DatabaseQueue(path: directory + "/gateway.sqlite")
            try await other.write { db in
                try db.execute(sql: """
                    CREATE TRIGGER reject_empty BEFORE INSERT ON features WHEN NEW.frames = 0
                    BEGIN SELECT RAISE(ABORT, 'rejected by test'); END
                    """)
            }
            var bad = Fixtures.features(count: 1)
            bad[0].frames = 0
            await #expect(throws: GatewayError.self) {
                try await store.write(StoreBatch(events: [Fixtures.event(start: 2)], features: bad))
            }
            #expect(try store.logSize() == 1)
            #expect(try store.events().count == 1)
            #expect(try store.latestCheckpoint()?.size == 1)
        }
    }

    @Test func theLogSurvivesReopening() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/gateway.sqlite"
            let first = try GatewayStore(path: path, options: options(every: 2))
            try await first.write(StoreBatch(events: [Fixtures.event("a", start: 1), Fixtures.event("a", start: 2)]))
            let before = try #require(try first.latestCheckpoint())
            try first.close()
            let second = try GatewayStore(path: path, options: options(every: 2))
            defer { try? second.close() }
            try await second.write(StoreBatch(events: [Fixtures.event("a", start: 3), Fixtures.event("b", start: 4)]))
            let after = try #require(try second.latestCheckpoint())
            #expect(after.size == 4)
            let third = try PbLogEntry(serializedBytes: #require(try second.logEntry(index: 2)))
            #expect(third.sourceSequence == 2, "sequences continue after a restart")
            try MerkleVerifier.verifyConsistency(oldSize: before.size, newSize: after.size, oldRoot: before.rootHash,
                                                 newRoot: after.rootHash, proof: try second.consistencyProof(from: 2, to: 4))
        }
    }
}
