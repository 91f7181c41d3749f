import Foundation
import GRDB
import GatewayCore
import Ledger
import SensingProto
import Store
import Testing

/// Telemetry rows: every value type round-trips, queries filter and order, and each sample is
/// a log entry (with the machine's own sequence) in the same transaction as its row.
@Suite struct TelemetryStoreTests {
    static func samples() -> [TelemetrySample] {
        [
            TelemetrySample(source: "press-1", point: "spindle_load", value: .number(41.5), unit: "%", time: Fixtures.t0),
            TelemetrySample(source: "press-1", point: "cycles", value: .integer(-12_345_678_901), time: Fixtures.t0 + 10),
            TelemetrySample(source: "mill", point: "door_open", value: .boolean(true), time: Fixtures.t0 + 20),
            TelemetrySample(source: "mill", point: "program", value: .text("O1234, \"roughing\""), quality: .uncertain,
                            time: Fixtures.t0 + 30),
            TelemetrySample(source: "press-1", point: "spindle_load", value: .number(43.25), unit: "%", time: Fixtures.t0 + 40),
        ]
    }

    @Test func everyValueTypeRoundTripsAndQueriesFilter() async throws {
        try await withStore { store, _ in
            let written = Self.samples()
            let result = try await store.write(StoreBatch(telemetry: written))
            #expect(result.rowsWritten == 5 && result.logEntries == 5)
            #expect(try store.telemetry() == written)
            #expect(try store.telemetry(TelemetryQuery(source: "mill")).map(\.point) == ["door_open", "program"])
            #expect(try store.telemetry(TelemetryQuery(source: "press-1", point: "spindle_load")).map(\.value)
                == [.number(41.5), .number(43.25)])
            #expect(try store.telemetry(TelemetryQuery(since: Fixtures.t0 + 20, until: Fixtures.t0 + 40)).count == 2)
            #expect(try store.telemetry(TelemetryQuery(limit: 2, newestFirst: true)).map(\.time)
                == [Fixtures.t0 + 30, Fixtures.t0 + 40])
            let points = try store.telemetryPoints()
            #expect(points.map { "\($0.source)/\($0.point)=\($0.samples)" }
                == ["mill/door_open=1", "mill/program=1", "press-1/cycles=1", "press-1/spindle_load=2"])
        }
    }

    @Test func samplesAreLogEntriesWithPerMachineSequences() async throws {
        try await withStore { store, _ in
            try await store.write(StoreBatch(events: [Fixtures.event("mill", start: 1)], telemetry: Self.samples()))
            #expect(try store.logSize() == 6)
            let entries = try (0..<6).map { try PbLogEntry(serializedBytes: #require(try store.logEntry(index: $0))) }
            #expect(entries.map(\.source) == ["mill", "press-1", "press-1", "mill", "mill", "press-1"])
            // The event came first for "mill": its samples continue that source's sequence.
            #expect(entries.map(\.sourceSequence) == [0, 0, 1, 1, 2, 2])
            let first = entries[1].telemetry
            #expect(first.point == "spindle_load" && first.number == 41.5 && first.unit == "%" && first.timeUs == Fixtures.t0)
            #expect(entries[2].telemetry.integer == -12_345_678_901)
            #expect(entries[3].telemetry.boolean == true)
            #expect(entries[4].telemetry.text == "O1234, \"roughing\"" && entries[4].telemetry.quality == .uncertain)
            // Same sample, same bytes: the encoding is deterministic.
            let again = try PbLogEntry(serializedBytes: #require(try store.logEntry(index: 1)))
            #expect(try again.serializedBytes() as [UInt8] == (try store.logEntry(index: 1)))
        }
    }

    @Test func aTelemetryEntryProvesOffline() async throws {
        let signer = try NoteSignerKey.generate(name: "gw.example/telemetry")
        let options = StoreOptions(log: LogOptions(signer: signer, checkpointEveryEntries: 5, checkpointEverySeconds: 3600))
        try await withStore(options: options) { store, _ in
            let result = try await store.write(StoreBatch(telemetry: Self.samples()))
            #expect(result.checkpointSize == 5)
            let proof = try store.proof(index: 3)
            let verified = try TlogProof.verify(proof.formatted, verifierKeys: [signer.verifierKey], origin: signer.name)
            #expect(verified.index == 3)
            let entry = try PbLogEntry(serializedBytes: verified.entry)
            #expect(entry.telemetry.point == "program")
        }
    }
}

/// Pull-sync acknowledgements: forward only, never beyond what a checkpoint covers.
@Suite struct SyncAcknowledgementTests {
    @Test func acknowledgementsOnlyMoveForwardAndStopAtTheCheckpoint() async throws {
        let signer = try NoteSignerKey.generate(name: "gw.example/acks")
        let options = StoreOptions(log: LogOptions(signer: signer, checkpointEveryEntries: 4, checkpointEverySeconds: 3600))
        try await withStore(options: options) { store, _ in
            #expect(try store.syncAcknowledgement(destination: "cloud") == nil)
            let samples = TelemetryStoreTests.samples()
            try await store.write(StoreBatch(telemetry: Array(samples.prefix(4))))
            try await store.write(StoreBatch(telemetry: [samples[4]]))
            #expect(try store.latestCheckpoint()?.size == 4 && (try store.logSize()) == 5)
            #expect(try store.acknowledgeSync(destination: "cloud", size: 4, now: 100) == 4)
            #expect(try store.acknowledgeSync(destination: "cloud", size: 2, now: 200) == 4, "an older ack is ignored")
            #expect(try store.syncAcknowledgement(destination: "cloud")?.at == 100)
            #expect(try store.acknowledgeSync(destination: "audit", size: 1) == 1, "destinations are independent")
            #expect(throws: GatewayError.self) { try store.acknowledgeSync(destination: "cloud", size: 5) }
            #expect(try store.syncAcknowledgement(destination: "cloud")?.size == 4)
        }
    }
}
