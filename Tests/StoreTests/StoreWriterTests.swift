import GatewayCore
import Logging
@testable import Store
import Synchronization
import Testing

@Suite("StoreWriter")
struct StoreWriterTests {
    @Test func manySmallBatchesAreCommittedTogether() async throws {
        try await withStore { store, _ in
            let writer = StoreWriter(store: store, maxRows: 100, maxDelay: .seconds(60))
            let features = Fixtures.features(count: 3000)
            for chunk in stride(from: 0, to: features.count, by: 6) {
                try await writer.submit(StoreBatch(features: Array(features[chunk..<chunk + 6])))
            }
            try await writer.flush()
            #expect(try store.features() == features)
            let stats = await writer.stats
            #expect(stats.rowsWritten == 3000 && stats.pendingRows == 0 && stats.failures == 0)
            #expect(stats.commits >= 25 && stats.commits <= 31)
        }
    }

    @Test func concurrentSubmittersUnderBackPressureLoseNothing() async throws {
        try await withStore { store, _ in
            let writer = StoreWriter(store: store, maxRows: 50, maxDelay: .seconds(60), maxPendingRows: 100)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<16 {
                    group.addTask {
                        for i in 0..<40 {
                            let start = Fixtures.t0 + Int64(task * 1000 + i) * 1_000_000
                            try await writer.submit(StoreBatch(features: Fixtures.features(
                                count: 10, devices: [DeviceID("node-\(task)")], from: start)))
                            #expect(await writer.stats.pendingRows <= 110)
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await writer.flush()
            #expect(try store.statistics().features == 6400)
            for task in [0, 7, 15] {
                let rows = try store.features(device: DeviceID("node-\(task)"))
                #expect(rows.count == 400)
                #expect(rows.map(\.start) == rows.map(\.start).sorted())
            }
        }
    }

    @Test func submitWaitsForRoomWhileCommitsFail() async throws {
        let database = FakeDatabase()
        let logs = LogCapture()
        let writer = StoreWriter(
            path: "/fake.sqlite", maxRows: 10, maxDelay: .milliseconds(5), maxPendingRows: 30,
            logger: logs.logger, commit: database.commit)
        database.failing.withLock { $0 = true }
        for i in 0..<3 {
            try await writer.submit(StoreBatch(features: Fixtures.features(count: 10, from: Int64(i) * 100_000_000)))
        }
        var stats = await writer.stats
        #expect(stats.pendingRows == 30 && stats.failures == 3 && stats.commits == 0)
        #expect(stats.lastError?.contains("disk on fire") == true)

        let done = Mutex(false)
        let blocked = Task {
            try await writer.submit(StoreBatch(features: Fixtures.features(count: 10, from: 900_000_000)))
            done.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!done.withLock { $0 }, "submit must wait while the pending batch is full")
        stats = await writer.stats
        #expect(stats.pendingRows == 30 && stats.backPressureWaits == 1 && stats.failures > 3)

        database.failing.withLock { $0 = false }
        try await blocked.value
        try await writer.flush()
        stats = await writer.stats
        #expect(stats.pendingRows == 0 && stats.rowsWritten == 40 && stats.lastError == nil)
        #expect(database.committed.withLock { $0.map(\.start) } == database.expectedStarts)
        // One error line for the whole failure burst, one line when it recovered.
        #expect(logs.messages.filter { $0.contains("commit failed") }.count == 1)
        #expect(logs.messages.filter { $0.contains("recovered") }.count == 1)
    }

    @Test func failedFlushKeepsRowsForTheNextOne() async throws {
        let database = FakeDatabase()
        let writer = StoreWriter(
            path: "/fake.sqlite", maxRows: 1000, logger: LogCapture().logger, commit: database.commit)
        try await writer.submit(StoreBatch(features: Fixtures.features(count: 5)))
        database.failing.withLock { $0 = true }
        await #expect(throws: FakeDatabase.Failure.self) { try await writer.flush() }
        try await writer.submit(StoreBatch(features: Fixtures.features(count: 5, from: 99)))
        #expect(await writer.stats.pendingRows == 10)
        database.failing.withLock { $0 = false }
        try await writer.flush()
        #expect(database.committed.withLock { $0.count } == 10)
        #expect(database.commits.withLock { $0 } == 1)
    }

    @Test func cancellingRunFlushesPendingRows() async throws {
        try await withStore { store, _ in
            let writer = StoreWriter(store: store, maxRows: 1000, maxDelay: .seconds(60))
            let running = Task { try await writer.run() }
            let features = Fixtures.features(count: 50)
            try await writer.submit(StoreBatch(features: features))
            #expect(try store.features().isEmpty)
            running.cancel()
            try await running.value
            #expect(try store.features() == features)
            #expect(await writer.stats.pendingRows == 0)
        }
    }

    @Test func runCommitsEveryMaxDelay() async throws {
        try await withStore { store, _ in
            let writer = StoreWriter(store: store, maxRows: 1000, maxDelay: .milliseconds(20))
            let running = Task { try await writer.run() }
            defer { running.cancel() }
            try await writer.submit(StoreBatch(features: Fixtures.features(count: 5)))
            var waited = 0
            // Rows become visible when the transaction commits, a moment before the writer counts
            // the commit: wait for both.
            while waited < 250 {
                let commits = await writer.stats.commits
                if try store.features().count >= 5, commits >= 1 { break }
                try await Task.sleep(for: .milliseconds(20))
                waited += 1
            }
            #expect(try store.features().count == 5)
            #expect(await writer.stats.commits >= 1)
        }
    }
}

/// A commit function that records what it was given and fails on demand.
final class FakeDatabase: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "disk on fire" }
    }
    let failing = Mutex(false)
    let committed = Mutex<[WindowFeatures]>([])
    let commits = Mutex(0)

    var expectedStarts: [Int64] {
        (0..<3).flatMap { i in Fixtures.features(count: 10, from: Int64(i) * 100_000_000).map(\.start) }
            + Fixtures.features(count: 10, from: 900_000_000).map(\.start)
    }

    var commit: StoreWriter.Commit {
        { [self] batch, _ in
            if failing.withLock({ $0 }) { throw Failure() }
            committed.withLock { $0 += batch.features }
            commits.withLock { $0 += 1 }
            return WriteResult(rowsWritten: batch.rowCount)
        }
    }
}

/// Collects log messages.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    var messages: [String] { lines.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            capture.lines.withLock { $0.append("\(event.message)") }
        }
    }
}
