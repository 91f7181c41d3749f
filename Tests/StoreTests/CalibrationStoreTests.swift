import Foundation
import GRDB
import GatewayCore
@testable import Store
import Testing

@Suite("Calibrations")
struct CalibrationStoreTests {
    static func record(_ device: DeviceID = "node-a", created: Int64, source: String = "live", body: String = "{}") -> CalibrationRecord {
        CalibrationRecord(
            device: device, created: created, source: source, seconds: 10.2, windows: 51,
            motionThreshold: 0.0123, presenceThreshold: 0.045, gainStepFraction: 0.25,
            warnings: ["the receiver's gain jumped", "quote \" and newline\n"], body: body)
    }

    @Test func migrationUpgradesAStoreLeftByTheV1Gateway() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/gateway.sqlite"
            // The file as a gateway with only the v1 migrations left it, with rows in it.
            let old = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(old, upTo: "v1.raw_frames")
            try old.write { db in
                try db.execute(sql: "INSERT INTO devices (id, kind, first_seen_us, last_seen_us, frames) VALUES ('node-a', 'csi', 1, 2, 3)")
            }
            try old.close()

            let store = try GatewayStore(path: path)
            #expect(try store.appliedMigrations() == MigrationTests.expected)
            #expect(try store.devices().map(\.device) == ["node-a"])
            #expect(try store.latestCalibrations().isEmpty)
            let id = try store.saveCalibration(Self.record(created: Fixtures.t0))
            #expect(try store.latestCalibrations().map(\.id) == [id])
            try store.close()
        }
    }

    @Test func savedRecordReadsBackEqual() async throws {
        try await withStore { store, _ in
            let record = Self.record(created: Fixtures.t0, source: "capture:/tmp/empty room.sgw", body: #"{"format":1}"#)
            let id = try store.saveCalibration(record)
            var expected = record
            expected.id = id
            #expect(try store.latestCalibrations() == [expected])
            #expect(try store.calibrations(device: "node-a") == [expected])
            #expect(try store.calibrations(device: "node-b").isEmpty)
        }
    }

    @Test func latestIsTheNewestPerDeviceAndTiesGoToTheLaterRow() async throws {
        try await withStore { store, _ in
            try store.saveCalibration(Self.record("node-b", created: Fixtures.t0 + 5, source: "b-old"))
            try store.saveCalibration(Self.record("node-a", created: Fixtures.t0 + 9, source: "a-new"))
            try store.saveCalibration(Self.record("node-a", created: Fixtures.t0 + 1, source: "a-old"))  // older, saved later
            try store.saveCalibration(Self.record("node-b", created: Fixtures.t0 + 7, source: "b-first"))
            try store.saveCalibration(Self.record("node-b", created: Fixtures.t0 + 7, source: "b-second"))
            let latest = try store.latestCalibrations()
            #expect(latest.map(\.device) == ["node-a", "node-b"])
            #expect(latest.map(\.source) == ["a-new", "b-second"])
            #expect(try store.calibrations(device: "node-b").map(\.source) == ["b-second", "b-first", "b-old"])
            #expect(try store.calibrations(device: "node-b", limit: 1).map(\.source) == ["b-second"])
        }
    }

    @Test func eachDeviceKeepsOnlyItsNewestRows() async throws {
        try await withStore(options: StoreOptions(calibrationsKeptPerDevice: 3)) { store, _ in
            for i in 0..<5 { try store.saveCalibration(Self.record("node-a", created: Fixtures.t0 + Int64(i), source: "a\(i)")) }
            try store.saveCalibration(Self.record("node-b", created: Fixtures.t0, source: "b0"))
            // The writer's path prunes too, in the same transaction.
            try store.write(StoreBatch(calibrations: [
                Self.record("node-b", created: Fixtures.t0 + 1, source: "b1"),
                Self.record("node-b", created: Fixtures.t0 + 2, source: "b2"),
                Self.record("node-b", created: Fixtures.t0 + 3, source: "b3"),
            ]))
            #expect(try store.calibrations(device: "node-a").map(\.source) == ["a4", "a3", "a2"])
            #expect(try store.calibrations(device: "node-b").map(\.source) == ["b3", "b2", "b1"])
        }
        try await withStore(options: StoreOptions(calibrationsKeptPerDevice: 0)) { store, _ in
            for i in 0..<25 { try store.saveCalibration(Self.record(created: Fixtures.t0 + Int64(i))) }
            #expect(try store.calibrations(device: "node-a").count == 25)
        }
    }

    @Test func batchesThroughTheWriterStoreCalibrations() async throws {
        try await withStore { store, _ in
            let writer = StoreWriter(store: store, maxRows: 1000)
            try await writer.submit(StoreBatch(features: Fixtures.features(count: 2), calibrations: [Self.record(created: Fixtures.t0)]))
            try await writer.flush()
            #expect(try store.latestCalibrations().count == 1)
            #expect(await writer.stats.rowsWritten == 3)
        }
    }

    @Test func negativeKeepCountIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let error = #expect(throws: GatewayError.self) {
                try GatewayStore(path: directory + "/g.sqlite", options: StoreOptions(calibrationsKeptPerDevice: -1))
            }
            #expect(error?.message.contains("calibrations kept per device") == true)
        }
    }

    @Test func damagedWarningsColumnDoesNotFailListing() async throws {
        try await withStore { store, _ in
            let id = try store.saveCalibration(Self.record(created: Fixtures.t0))
            try store.pool.write { db in
                try db.execute(sql: "UPDATE calibrations SET warnings = 'not json' WHERE id = ?", arguments: [id])
            }
            #expect(try store.latestCalibrations().first?.warnings == ["not json"])
        }
    }
}
