import Foundation
import GatewayCore
import Store
import Testing

@Suite("Crash recovery")
struct CrashRecoveryTests {
    /// Copies the database, WAL and shared-memory files of a store that is still open, as a power
    /// cut would leave them, and opens the copy: every committed row must be there.
    @Test func copyOfAnOpenStoreHasEveryCommittedRow() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/gateway.sqlite"
            let options = StoreOptions(rawFramesMaxBytes: 1 << 20)
            let store = try GatewayStore(path: path, options: options)
            defer { try? store.close() }
            for i in 0..<10 {
                let start = Fixtures.t0 + Int64(i) * 100_000_000
                try store.write(StoreBatch(
                    devices: [DeviceActivity(device: "node-a", lastSeen: start, frames: 100)],
                    events: [Fixtures.event(start: start, end: i % 2 == 0 ? nil : start + 5)],
                    features: Fixtures.features(count: 200, from: start),
                    rawFrames: (0..<20).map { Fixtures.rawFrame(sequence: UInt32(i * 20 + $0), size: 120) }))
            }
            let walSize = (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.intValue
            #expect((walSize ?? 0) > 0, "the test needs rows still in the WAL")

            let copyDirectory = directory + "/copy"
            try FileManager.default.createDirectory(atPath: copyDirectory, withIntermediateDirectories: false)
            for suffix in ["", "-wal", "-shm"] {
                try FileManager.default.copyItem(atPath: path + suffix, toPath: copyDirectory + "/gateway.sqlite" + suffix)
            }

            let copy = try GatewayStore(path: copyDirectory + "/gateway.sqlite", options: options)
            defer { try? copy.close() }
            var expected = try store.statistics()
            var actual = try copy.statistics()
            expected.fileBytes = 0
            actual.fileBytes = 0
            #expect(actual == expected)
            #expect(actual.features == 2000 && actual.events == 10 && actual.rawFrames == 200)
            #expect(try copy.features() == store.features())
            #expect(try copy.events() == store.events())
            #expect(try copy.devices() == store.devices())
            #expect(try copy.rawFrames() == store.rawFrames())
            #expect(try copy.devices().first?.frames == 1000)
        }
    }
}
