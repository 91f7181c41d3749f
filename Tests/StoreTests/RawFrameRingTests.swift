import TestPeers
import GatewayCore
import Store
import Testing

@Suite("Raw frame ring")
struct RawFrameRingTests {
    @Test func rawFramesAreIgnoredByDefault() async throws {
        try await withStore { store, _ in
            let frames = (0..<10).map { Fixtures.rawFrame(sequence: UInt32($0), size: 64) }
            let result = try store.write(StoreBatch(features: Fixtures.features(count: 2), rawFrames: frames))
            #expect(result == WriteResult(rowsWritten: 2, rawFramesEvicted: 0))
            #expect(try store.rawFrames().isEmpty)
            let stats = try store.statistics()
            #expect(stats.rawFrames == 0 && stats.rawFrameBytes == 0)
        }
    }

    @Test func ringKeepsNewestFramesWithinTheCap() async throws {
        try await withStore(options: StoreOptions(rawFramesMaxBytes: 1_000)) { store, _ in
            var written: [RawFrame] = []
            var evicted = 0
            for batchIndex in 0..<5 {
                let frames = (0..<4).map { Fixtures.rawFrame(sequence: UInt32(batchIndex * 4 + $0), size: 100) }
                written += frames
                let result = try store.write(StoreBatch(rawFrames: frames))
                #expect(result.rowsWritten == 4)
                evicted += result.rawFramesEvicted
                let stats = try store.statistics()
                #expect(stats.rawFrameBytes <= 1_000)
                #expect(stats.rawFrames == min(written.count, 10))
            }
            #expect(evicted == 10)
            #expect(try store.rawFrames() == Array(written.suffix(10)))
            #expect(try store.rawFrames(device: "node-a", limit: 3) == Array(written.suffix(10).prefix(3)))
        }
    }

    @Test func variableSizesEvictOnlyWhatIsNeeded() async throws {
        let cap: Int64 = 5_000
        try await withStore(options: StoreOptions(rawFramesMaxBytes: cap)) { store, _ in
            var generator = SplitMix(seed: 42)
            var written: [RawFrame] = []
            var evicted = 0
            for batchIndex in 0..<40 {
                let frames = (0..<Int(generator.next() % 8 + 1)).map { i in
                    Fixtures.rawFrame(i % 2 == 0 ? "node-a" : "node-b",
                        sequence: UInt32(batchIndex * 100 + i), size: Int(generator.next() % 400 + 1))
                }
                written += frames
                evicted += try store.write(StoreBatch(rawFrames: frames)).rawFramesEvicted
            }
            let kept = try store.rawFrames()
            let keptBytes = kept.reduce(0) { $0 + $1.bytes.count }
            #expect(keptBytes <= cap)
            #expect(kept == Array(written.suffix(kept.count)))
            #expect(evicted == written.count - kept.count)
            // Only what had to go: one more old frame would not have fit.
            let previous = written[written.count - kept.count - 1]
            #expect(keptBytes + previous.bytes.count > cap)
            let stats = try store.statistics()
            #expect(stats.rawFrames == kept.count && stats.rawFrameBytes == Int64(keptBytes))
        }
    }

    @Test func batchLargerThanTheCapKeepsItsNewestFrames() async throws {
        try await withStore(options: StoreOptions(rawFramesMaxBytes: 1_000)) { store, _ in
            try store.write(StoreBatch(rawFrames: [Fixtures.rawFrame(sequence: 0, size: 500)]))
            let frames = (1...30).map { Fixtures.rawFrame(sequence: UInt32($0), size: 100) }
            let result = try store.write(StoreBatch(rawFrames: frames))
            #expect(result.rowsWritten == 10)
            #expect(result.rawFramesEvicted == 21)
            #expect(try store.rawFrames() == Array(frames.suffix(10)))
        }
    }

    @Test func emptyFramesAreStored() async throws {
        try await withStore(options: StoreOptions(rawFramesMaxBytes: 100)) { store, _ in
            let frame = Fixtures.rawFrame(sequence: 7, size: 0)
            try store.write(StoreBatch(rawFrames: [frame]))
            #expect(try store.rawFrames() == [frame])
        }
    }
}
