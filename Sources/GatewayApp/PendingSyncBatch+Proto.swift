import Foundation
import SensingProto
import Store

extension PendingSyncBatch {
    /// The `SyncBatch` protobuf the cloud verifies, pushed (`POST .../batches`) or pulled
    /// (`GET /v1/sync/batches`): the same bytes either way. `energy_signatures` copies the
    /// signatures the entries hold, so a reader sees them without decoding every entry; the
    /// signed copy is the entries themselves (the cloud checks that both agree).
    func protobuf(origin: String) throws -> [UInt8] {
        var message = PbSyncBatch()
        message.origin = origin
        message.firstIndex = firstIndex
        message.entries = entries
        message.checkpoint = checkpoint
        message.previousSize = previousSize
        message.consistencyProof = consistencyProof.map { Data($0.bytes) }
        message.energySignatures = try PbLogEntry.energySignatures(in: entries)
        return try message.serializedBytes()
    }
}
