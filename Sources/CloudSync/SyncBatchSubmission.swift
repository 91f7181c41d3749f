import Foundation
import Ledger
import SensingProto
import SwiftProtobuf

/// A pushed `SyncBatch`, decoded and checked for everything that needs no stored state: shape,
/// hash sizes, limits and that it names the origin of the URL it was sent to.
///
/// Leaf hashes are computed here, before the storage transaction, so concurrent requests hash in
/// parallel and the single writer only appends; they are still compared with the checkpoint's root
/// inside the transaction before anything is stored.
public struct SyncBatchSubmission: Sendable {
    public let origin: String
    public let firstIndex: UInt64
    /// Serialized `LogEntry` bytes, exactly as hashed into the gateway's log.
    public let entries: [Data]
    /// SHA-256(0x00 || entry), one per entry.
    public let leafHashes: [Hash]
    /// The C2SP signed note of the checkpoint that covers `firstIndex + entries.count` entries.
    public let signedCheckpoint: String
    public let previousSize: UInt64
    public let consistencyProof: [Hash]
    /// The energy signatures of the entries (checked equal to the batch's `energy_signatures`);
    /// they are covered by the checkpoint because the entries are.
    public let energySignatures: [PbEnergySignature]

    /// `firstIndex + entries.count`: the tree size the batch claims to reach.
    public var endIndex: UInt64 { firstIndex + UInt64(entries.count) }

    /// Decodes a request body sent to `/v1/gateways/{pathOrigin}/batches`.
    public init(protobuf body: Data, pathOrigin: String, limits: CloudSyncConfig.Limits) throws {
        let batch: PbSyncBatch
        do {
            batch = try PbSyncBatch(serializedBytes: body)
        } catch {
            throw CloudSyncError(.malformedBatch, "the body is not a serialized sensing.v1.SyncBatch (\(error)); send the protobuf bytes with Content-Type: application/x-protobuf")
        }
        try self.init(batch, pathOrigin: pathOrigin, limits: limits)
    }

    public init(_ batch: PbSyncBatch, pathOrigin: String, limits: CloudSyncConfig.Limits) throws {
        guard !batch.origin.isEmpty else {
            throw CloudSyncError(.malformedBatch, "the batch has no origin (field 1); set it to the gateway's log origin '\(pathOrigin)'")
        }
        guard batch.origin.utf8.elementsEqual(pathOrigin.utf8) else {
            throw CloudSyncError(.originMismatch, "the batch is for origin '\(batch.origin)' but was sent to /v1/gateways/\(pathOrigin)/batches; post it to the path of its own origin")
        }
        guard !batch.entries.isEmpty else {
            throw CloudSyncError(.malformedBatch, "the batch has no entries; send at least one entry with the checkpoint that covers it")
        }
        guard batch.entries.count <= limits.maxEntries else {
            throw CloudSyncError(.oversized, "the batch has \(batch.entries.count) entries; at most \(limits.maxEntries) are accepted per batch (limits.max_entries): split it")
        }
        guard batch.firstIndex <= UInt64.max - UInt64(batch.entries.count) else {
            throw CloudSyncError(.malformedBatch, "first_index \(batch.firstIndex) plus \(batch.entries.count) entries overflows a 64-bit tree size")
        }
        guard !batch.checkpoint.isEmpty else {
            throw CloudSyncError(.malformedBatch, "the batch has no checkpoint (field 4); send the signed note covering first_index + entries")
        }
        var proof: [Hash] = []
        proof.reserveCapacity(batch.consistencyProof.count)
        for (i, element) in batch.consistencyProof.enumerated() {
            guard element.count == Hash.byteCount else {
                throw CloudSyncError(.malformedBatch, "consistency_proof[\(i)] is \(element.count) bytes; every proof hash must be exactly 32 bytes (SHA-256)")
            }
            proof.append(try Hash(validating: element, what: "consistency_proof[\(i)]"))
        }
        if batch.previousSize == 0 && !proof.isEmpty {
            throw CloudSyncError(.malformedBatch, "previous_size is 0 but the batch carries a \(proof.count)-hash consistency proof; a first batch proves nothing to consistency: leave the proof empty")
        }
        let signed: [PbEnergySignature]
        do {
            signed = try PbLogEntry.energySignatures(in: batch.entries)
        } catch {
            throw CloudSyncError(.malformedBatch, "an entry marked as an energy signature (LogEntry field 7) does not decode (\(error)); send the entries exactly as they were logged")
        }
        guard signed == batch.energySignatures else {
            throw CloudSyncError(.malformedBatch, "energy_signatures (field 7) lists \(batch.energySignatures.count) signatures that differ from the \(signed.count) the batch's signed entries hold; fill it from the entries (LogEntry.energy_signature, in entry order) or leave nothing out")
        }
        energySignatures = signed
        origin = batch.origin
        firstIndex = batch.firstIndex
        entries = batch.entries
        leafHashes = batch.entries.map { Hash.leaf($0) }
        signedCheckpoint = batch.checkpoint
        previousSize = batch.previousSize
        consistencyProof = proof
    }
}
