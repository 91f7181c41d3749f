import Foundation
import Ledger
import SensingProto

/// What a gateway would push: `batches` serialized `SyncBatch`es of `batchSize` log entries each
/// (telemetry-sized `LogEntry` protobufs), built and signed before anything is timed.
struct SyncCorpus {
    let origin = "bench.gateway/gw-01"
    let key: NoteSignerKey
    let bodies: [Data]
    let batches: [[Data]]
    let entryBytes: Int

    static func make(batches count: Int, batchSize: Int) throws -> SyncCorpus {
        let key = try NoteSignerKey.generate(name: "bench.gateway/gw-01")
        var tree = MerkleTree()
        var bodies: [Data] = []
        var batches: [[Data]] = []
        var entryBytes = 0
        for b in 0..<count {
            let first = tree.count
            var entries: [Data] = []
            entries.reserveCapacity(batchSize)
            for i in 0..<batchSize {
                let index = b * batchSize + i
                var sample = PbTelemetrySample()
                sample.source = "press-\(index % 16)"
                sample.point = "spindle.load"
                sample.unit = "%"
                sample.timeUs = 1_700_000_000_000_000 + Int64(index) * 1000
                sample.number = Double(index % 1000) / 10
                var entry = PbLogEntry()
                entry.source = sample.source
                entry.sourceSequence = UInt64(index / 16)
                entry.receiveTimeUs = sample.timeUs + 250
                entry.telemetry = sample
                let bytes: Data = try entry.serializedBytes()
                entryBytes += bytes.count
                try tree.append(entry: bytes)
                entries.append(bytes)
            }
            var batch = PbSyncBatch()
            batch.origin = key.name
            batch.firstIndex = first
            batch.entries = entries
            batch.checkpoint = try Checkpoint(origin: key.name, size: tree.count, rootHash: tree.rootHash()).signedNote(with: [key])
            batch.previousSize = first
            if first > 0 {
                batch.consistencyProof = try tree.consistencyProof(from: first, to: tree.count).map { Data($0.bytes) }
            }
            bodies.append(try batch.serializedBytes())
            batches.append(entries)
        }
        return SyncCorpus(key: key, bodies: bodies, batches: batches, entryBytes: entryBytes / max(1, count * batchSize))
    }
}
