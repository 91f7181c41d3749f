import GatewayCore
import Store
import Testing

@Suite("Batch writes")
struct BatchWriteTests {
    @Test func largeBatchRoundTrips() async throws {
        try await withStore { store, _ in
            let features = Fixtures.features(count: 5000)
            let events = (0..<300).map { (i: Int) -> SensingEvent in
                let device: DeviceID = i % 2 == 0 ? "node-a" : "node-b"
                let kind: EventKind = i % 3 == 0 ? .motion : .presence
                let start = Fixtures.t0 + Int64(i) * 1_000_000
                let end: Int64? = i % 5 == 0 ? nil : start + 500
                let features = [NamedValue("motion", Double(i) * 0.125), NamedValue("presence", -1.5e-7)]
                return Fixtures.event(device, kind, start: start, end: end, confidence: Double(i) / 300, features: features)
            }
            let devices = [
                DeviceActivity(device: "node-a", lastSeen: Fixtures.t0, frames: 2500),
                DeviceActivity(device: "node-b", lastSeen: Fixtures.t0 + 1, frames: 2500),
            ]
            let batch = StoreBatch(devices: devices, events: events, features: features)
            #expect(batch.rowCount == 5302)
            let result = try store.write(batch)
            #expect(result == WriteResult(rowsWritten: 5302, rawFramesEvicted: 0, logEntries: events.count))
            #expect(try store.features() == features)
            #expect(try store.events() == events)
            #expect(try store.features(device: "node-b") == features.filter { $0.device == "node-b" })
            #expect(try store.features(limit: 10) == Array(features.prefix(10)))
            let stats = try store.statistics()
            #expect(stats.features == 5000 && stats.events == 300 && stats.devices == 2)
            #expect(stats.fileBytes > 0)
        }
    }

    @Test func asyncWriteCommitsTheSameWay() async throws {
        try await withStore { store, _ in
            let features = Fixtures.features(count: 50)
            let result = try await store.write(StoreBatch(features: features))
            #expect(result.rowsWritten == 50)
            #expect(try store.features() == features)
            #expect(try await store.write(StoreBatch()) == WriteResult())
        }
    }

    @Test func openEventIsClosedBySameID() async throws {
        try await withStore { store, _ in
            let open = Fixtures.event(start: Fixtures.t0, end: nil, confidence: 0.6, features: [NamedValue("a", 1)])
            try store.write(StoreBatch(events: [open]))
            #expect(try store.events() == [open])

            var closed = Fixtures.event(start: Fixtures.t0, end: Fixtures.t0 + 3_000_000, confidence: 0.9,
                features: [NamedValue("a", 2), NamedValue("b", 3)])
            closed.modelVersion = "threshold-2"
            #expect(closed.id == open.id)
            try store.write(StoreBatch(events: [closed]))
            #expect(try store.events() == [closed])
            #expect(try store.statistics().events == 1)
        }
    }

    @Test func openAndCloseInOneBatchKeepsTheLast() async throws {
        try await withStore { store, _ in
            let open = Fixtures.event(start: Fixtures.t0, end: nil)
            let closed = Fixtures.event(start: Fixtures.t0, end: Fixtures.t0 + 10)
            try store.write(StoreBatch(events: [open, closed]))
            #expect(try store.events() == [closed])
        }
    }

    @Test func nonFiniteValuesSurvive() async throws {
        try await withStore { store, _ in
            let event = Fixtures.event(start: 1, confidence: .nan,
                features: [NamedValue("nan", .nan), NamedValue("inf", .infinity), NamedValue("-inf", -.infinity)])
            var window = Fixtures.features(count: 1)[0]
            window.motionScore = .nan
            try store.write(StoreBatch(events: [event], features: [window]))
            let read = try #require(try store.events().first)
            #expect(read.confidence.isNaN)
            #expect(read.features.map(\.name) == ["nan", "inf", "-inf"])
            #expect(read.features[0].value.isNaN)
            #expect(read.features[1].value == .infinity && read.features[2].value == -.infinity)
            let readWindow = try #require(try store.features().first)
            #expect(readWindow.motionScore.isNaN)
            #expect(readWindow.presenceScore == window.presenceScore)
        }
    }

    @Test func batchAppendKeepsOrder() {
        var batch = StoreBatch(features: Fixtures.features(count: 2))
        #expect(!batch.isEmpty && batch.rowCount == 2)
        batch.append(contentsOf: StoreBatch(
            devices: [DeviceActivity(device: "x", lastSeen: 1, frames: 1)],
            events: [Fixtures.event(start: 5)], rawFrames: [Fixtures.rawFrame(sequence: 1, size: 3)]))
        #expect(batch.rowCount == 5)
        #expect(StoreBatch().isEmpty)
    }
}
