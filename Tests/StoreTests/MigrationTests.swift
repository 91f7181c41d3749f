import Foundation
import GatewayCore
import Store
import Testing

@Suite("Migrations")
struct MigrationTests {
    static let expected = ["v1.devices", "v1.events", "v1.features", "v1.raw_frames", "v2.calibrations", "v3.log", "v4.telemetry", "v5.sync_acks", "v6.features_coherence"]

    @Test func freshDatabaseHasAllMigrationsInOrder() async throws {
        try await withStore { store, _ in
            #expect(try store.appliedMigrations() == Self.expected)
            let stats = try store.statistics()
            #expect(stats == StoreStatistics(
                events: 0, features: 0, devices: 0, rawFrames: 0, rawFrameBytes: 0, fileBytes: stats.fileBytes))
        }
    }

    @Test func reopeningAppliesNothingTwiceAndKeepsRows() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/gateway.sqlite"
            let first = try GatewayStore(path: path)
            try first.write(StoreBatch(features: Fixtures.features(count: 10)))
            try first.close()
            for _ in 0..<2 {
                let again = try GatewayStore(path: path)
                #expect(try again.appliedMigrations() == Self.expected)
                #expect(try again.features().count == 10)
                try again.close()
            }
        }
    }

    @Test func closeIsIdempotentAndLaterUseThrows() async throws {
        try await withTemporaryDirectory { directory in
            let store = try GatewayStore(path: directory + "/gateway.sqlite")
            try store.close()
            try store.close()
            let error = #expect(throws: GatewayError.self) {
                try store.write(StoreBatch(features: Fixtures.features(count: 1)))
            }
            #expect(error?.code == .storage)
            #expect(error?.message.contains("closed") == true)
        }
    }

    @Test func closeTruncatesTheWAL() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/gateway.sqlite"
            let store = try GatewayStore(path: path)
            try store.write(StoreBatch(features: Fixtures.features(count: 100)))
            try store.close()
            let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            #expect(walSize == 0)
        }
    }
}
