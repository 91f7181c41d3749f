import Foundation
import GatewayCore
import Ledger
import SensingProto
import Store
import Testing

/// Energy signatures are log entries (`LogEntry.energy_signature`), so signed checkpoints cover
/// them, numbered in their device's sequence with its events; sync batches copy them out.
@Suite struct EnergySignatureLogTests {
    @Test func signaturesAreLoggedAfterEventsInTheDeviceSequenceAndCopiedIntoSyncBatches() async throws {
        let signer = try NoteSignerKey.generate(name: "gw.example/energy")
        let options = StoreOptions(log: LogOptions(signer: signer, checkpointEveryEntries: 1, checkpointEverySeconds: 3600))
        try await withStore(options: options) { store, _ in
            let signature = EnergySignature(device: "a", start: 1_000_000, end: 61_000_000, windows: 300, energy: 0.53,
                                            energyRate: 0.002, entropy: 4.25)
            let result = try await store.write(StoreBatch(events: [Fixtures.event("a", start: 1)], energySignatures: [signature]))
            #expect(result.logEntries == 2)
            let entry = try PbLogEntry(serializedBytes: #require(try store.logEntry(index: 1)))
            #expect(entry.source == "a" && entry.sourceSequence == 1)
            #expect(entry.energySignature.deviceID == "a")
            #expect(entry.energySignature.energy == 0.53 && entry.energySignature.energyRate == 0.002 && entry.energySignature.entropy == 4.25)
            #expect(entry.energySignature.startTimeUs == 1_000_000 && entry.energySignature.endTimeUs == 61_000_000 && entry.energySignature.windows == 300)
            let batch = try #require(try store.pendingSyncBatch(after: 0, maxEntries: 100))
            #expect(batch.entries.count == 2)
            #expect(try PbLogEntry.energySignatures(in: batch.entries) == [entry.energySignature])
        }
    }
}
