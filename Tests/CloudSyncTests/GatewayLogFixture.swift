import Foundation
import Ledger
import SensingProto

/// A gateway's log as the gateway would hold it, built with the Ledger API: real `LogEntry`
/// protobufs in an in-memory RFC 9162 tree, checkpoints signed with the gateway's note key, and
/// `SyncBatch`es with consistency proofs from that tree.
struct GatewayLogFixture {
    let key: NoteSignerKey
    var origin: String { key.name }
    private(set) var entries: [Data] = []
    private(set) var tree = MerkleTree()

    init(origin: String) throws {
        key = try NoteSignerKey.generate(name: origin)
    }

    /// A fixture with the same key as `other` (the same gateway) but its own, empty log: pushing
    /// from it after `other` is a fork.
    init(sameKeyAs other: GatewayLogFixture) {
        key = other.key
    }

    /// Appends `count` log-line entries; `salt` makes a fork's entries differ from the original's.
    mutating func append(_ count: Int, salt: String = "") throws {
        for _ in 0..<count {
            var line = PbLogLine()
            line.timeUs = 1_700_000_000_000_000 + Int64(entries.count)
            line.level = "info"
            line.message = "entry \(entries.count)\(salt)"
            line.component = "fixture"
            var entry = PbLogEntry()
            entry.source = "device-\(entries.count % 3)"
            entry.sourceSequence = UInt64(entries.count / 3)
            entry.receiveTimeUs = line.timeUs
            entry.logLine = line
            let bytes: Data = try entry.serializedBytes()
            try tree.append(entry: bytes)
            entries.append(bytes)
        }
    }

    /// Appends one energy-signature entry (`LogEntry.energy_signature`) for `device`.
    mutating func appendSignature(device: String, energy: Double) throws {
        var signature = PbEnergySignature()
        signature.deviceID = device
        signature.energy = energy
        signature.energyRate = -0.01
        signature.entropy = 4.5
        signature.startTimeUs = 1_700_000_000_000_000 + Int64(entries.count) * 60_000_000
        signature.endTimeUs = signature.startTimeUs + 60_000_000
        signature.windows = 300
        var entry = PbLogEntry()
        entry.source = device
        entry.sourceSequence = UInt64(entries.count)
        entry.receiveTimeUs = signature.endTimeUs
        entry.energySignature = signature
        let bytes: Data = try entry.serializedBytes()
        try tree.append(entry: bytes)
        entries.append(bytes)
    }

    func signedCheckpoint(size: UInt64, signer: NoteSignerKey? = nil, origin: String? = nil) throws -> String {
        try Checkpoint(origin: origin ?? self.origin, size: size, rootHash: tree.rootHash(size: size))
            .signedNote(with: [signer ?? key])
    }

    /// Entries `from..<to` with a checkpoint of size `to` and a consistency proof from `previous`.
    func batch(from first: Int, to end: Int, previous: Int) throws -> PbSyncBatch {
        var batch = PbSyncBatch()
        batch.origin = origin
        batch.firstIndex = UInt64(first)
        batch.entries = Array(entries[first..<end])
        batch.checkpoint = try signedCheckpoint(size: UInt64(end))
        batch.previousSize = UInt64(previous)
        if previous > 0 {
            batch.consistencyProof = try tree.consistencyProof(from: UInt64(previous), to: UInt64(end)).map { Data($0.bytes) }
        }
        return batch
    }
}
