import Foundation
import GRDB
import GatewayCore
import Ledger
import Store

/// The gateway side of the log: appending event writes (rows + log entries + tree nodes, one
/// transaction per batch) against a plain insert of the same events' bytes, and proofs read
/// from the store against proofs from an in-memory tree.
enum StoreLogBench {
    struct Figures {
        var appendPerSecond: Double
        var plainPerSecond: Double
        var proofsPerSecond: Double
        var memoryProofsPerSecond: Double
        var batchEntriesPerSecond: Double
    }

    static func events(count: Int, from start: Int) -> [SensingEvent] {
        (start..<(start + count)).map { (i: Int) -> SensingEvent in
            let begin: Int64 = 1_700_000_000_000_000 + Int64(i) * 1000
            let kind: EventKind = i % 3 == 0 ? .motion : .presence
            let features = [NamedValue("motion_score", Double(i % 97)), NamedValue("presence_score", 0.3)]
            return SensingEvent(device: DeviceID("node-\(i % 50)"), kind: kind, confidence: 0.9, start: begin, end: begin + 500,
                                modelVersion: "variance-v1", features: features)
        }
    }

    static func run(entries: Int, batch: Int, proofs: Int, directory: String, signer: NoteSignerKey) throws -> Figures {
        let path = directory + "/bench-log.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try GatewayStore(path: path, options: StoreOptions(log: LogOptions(signer: signer, checkpointEveryEntries: 1000)))
        defer { try? store.close() }
        let clock = ContinuousClock()
        var written = 0
        let appendTime = try clock.measure {
            while written < entries {
                let count = min(batch, entries - written)
                try store.write(StoreBatch(events: events(count: count, from: written)))
                written += count
            }
        }
        try store.signCheckpoint(with: signer)

        // Baseline: the same events' bytes into a plain table, same batch size and transaction count.
        let plainPath = directory + "/bench-plain.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: plainPath + suffix) }
        let plain = try DatabasePool(path: plainPath)
        try plain.write { try $0.execute(sql: "CREATE TABLE rows (id INTEGER PRIMARY KEY, device TEXT, body BLOB)") }
        let encoder = JSONEncoder()
        var inserted = 0
        let plainTime = try clock.measure {
            while inserted < entries {
                let chunk = events(count: min(batch, entries - inserted), from: inserted)
                try plain.write { db in
                    let statement = try db.cachedStatement(sql: "INSERT INTO rows (device, body) VALUES (?, ?)")
                    for event in chunk { try statement.execute(arguments: [event.device.rawValue, try encoder.encode(event)]) }
                }
                inserted += chunk.count
            }
        }

        var generator = SystemRandomNumberGenerator()
        let indices = (0..<proofs).map { _ in UInt64.random(in: 0..<UInt64(entries), using: &generator) }
        let proofTime = try clock.measure {
            for index in indices { _ = try store.proof(index: index) }
        }
        var tree = MerkleTree<InMemoryNodeStore>()
        for index in 0..<UInt64(entries) { try tree.append(entry: try store.logEntry(index: index) ?? []) }
        let memoryTime = try clock.measure {
            for index in indices { _ = try tree.inclusionProof(index: index, size: UInt64(entries)) }
        }
        var read = 0
        var position: UInt64 = 0
        let batchTime = try clock.measure {
            while let next = try store.pendingSyncBatch(after: position, maxEntries: 10_000) {
                read += next.entries.count
                position = next.size
            }
        }
        return Figures(appendPerSecond: Double(entries) / appendTime.seconds, plainPerSecond: Double(entries) / plainTime.seconds,
                       proofsPerSecond: Double(proofs) / proofTime.seconds, memoryProofsPerSecond: Double(proofs) / memoryTime.seconds,
                       batchEntriesPerSecond: Double(read) / batchTime.seconds)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
