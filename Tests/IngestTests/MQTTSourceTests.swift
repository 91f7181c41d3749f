import Foundation
import GatewayCore
import Ingest
import Logging
import ServiceLifecycle
import Testing

/// The MQTT source against a real mosquitto broker on 127.0.0.1.
@Suite(.serialized) struct MQTTSourceTests {
    func settings(port: Int, clientID: String) -> MQTTSettings {
        var s = MQTTSettings()
        s.port = port
        s.clientID = clientID
        s.topics = ["csi/#"]
        return s
    }

    func envelopes(_ range: Range<Int>, device: String = "esp32-mqtt") -> [[UInt8]] {
        range.map { TestFrames.envelope(TestFrames.csi(device: device, sequence: UInt32($0))) }
    }

    /// Runs `source` in a ServiceGroup until `body` returns, then shuts it down gracefully.
    func running(_ source: MQTTSource, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(services: [source], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for _ in 0..<300 where !source.isSubscribed { try await Task.sleep(for: .milliseconds(20)) }
            #expect(source.isSubscribed, "the source never subscribed")
            try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    func drain(_ queue: IngestQueue, expecting count: Int) async -> [CSIFrame] {
        var frames: [CSIFrame] = []
        for _ in 0..<500 where queue.depth < count { try? await Task.sleep(for: .milliseconds(20)) }
        queue.finish()
        while let batch = await queue.next() { frames += batch.csi }
        return frames
    }

    @Test func messagesQueuedWhileTheGatewayIsDownArriveExactlyOnce() async throws {
        let broker = try MosquittoBroker()
        let clientID = "gw-\(UUID().uuidString.prefix(8))"
        // First run creates the persistent session and its subscription, then the gateway stops.
        try await running(MQTTSource(settings: settings(port: broker.port, clientID: clientID), queue: IngestQueue(),
                                     counters: IngestCounters(source: "mqtt"), logger: Logger(label: "test"))) {}
        let publisher = try MQTTTestPublisher(port: broker.port)
        #expect(publisher.publish(topic: "csi/esp32-mqtt", payloads: envelopes(0..<300)))
        // The gateway comes back with the same client id: the broker delivers the backlog.
        let queue = IngestQueue(perDeviceCapacity: 10_000)
        let counters = IngestCounters(source: "mqtt")
        let source = MQTTSource(settings: settings(port: broker.port, clientID: clientID), queue: queue, counters: counters,
                                logger: Logger(label: "test"))
        try await running(source) {
            for _ in 0..<500 where counters.snapshot.accepted < 300 { try await Task.sleep(for: .milliseconds(20)) }
        }
        let frames = await drain(queue, expecting: 300)
        #expect(frames.map(\.sequence) == (0..<300).map { UInt32($0) })
        #expect(counters.snapshot.malformed == 0)
    }

    @Test func aBrokerRestartMidStreamLosesNothing() async throws {
        let broker = try MosquittoBroker()
        let queue = IngestQueue(perDeviceCapacity: 10_000)
        let counters = IngestCounters(source: "mqtt")
        let source = MQTTSource(settings: settings(port: broker.port, clientID: "gw-\(UUID().uuidString.prefix(8))"),
                                queue: queue, counters: counters, logger: Logger(label: "test"))
        try await running(source) {
            let before = try MQTTTestPublisher(port: broker.port)
            #expect(before.publish(topic: "csi/a", payloads: envelopes(0..<150)))
            for _ in 0..<300 where counters.snapshot.accepted < 150 { try await Task.sleep(for: .milliseconds(20)) }
            broker.stop()
            try broker.start()
            let after = try MQTTTestPublisher(port: broker.port)
            #expect(after.publish(topic: "csi/a", payloads: envelopes(150..<300)))
            // The source reconnects on its own (backoff starts at 1 s) and receives the rest.
            for _ in 0..<1000 where counters.snapshot.accepted < 300 { try await Task.sleep(for: .milliseconds(20)) }
        }
        let frames = await drain(queue, expecting: 300)
        #expect(Set(frames.map(\.sequence)).count == 300)
        #expect(frames.count == 300)
    }

    @Test func topicNamingAndMalformedPayloads() async throws {
        let broker = try MosquittoBroker()
        let queue = IngestQueue()
        let counters = IngestCounters(source: "mqtt")
        var s = settings(port: broker.port, clientID: "gw-\(UUID().uuidString.prefix(8))")
        s.deviceNaming = .topic
        let source = MQTTSource(settings: s, queue: queue, counters: counters, logger: Logger(label: "test"))
        try await running(source) {
            let publisher = try MQTTTestPublisher(port: broker.port)
            #expect(publisher.publish(topic: "csi/kitchen", payloads: envelopes(0..<5) + [[0xff, 0x00, 0x13]]))
            for _ in 0..<300 where counters.snapshot.received < 6 { try await Task.sleep(for: .milliseconds(20)) }
        }
        let frames = await drain(queue, expecting: 5)
        #expect(frames.count == 5)
        #expect(frames.allSatisfy { $0.device == "kitchen" })
        #expect(counters.snapshot.malformed == 1)
    }

    @Test func anUnreachableBrokerIsRetriedNotFatal() async throws {
        let port = MosquittoBroker.freePort()
        let counters = IngestCounters(source: "mqtt")
        let source = MQTTSource(settings: settings(port: port, clientID: "gw-down"), queue: IngestQueue(), counters: counters,
                                logger: Logger(label: "test"))
        let group = ServiceGroup(services: [source], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(300))
            #expect(!source.isSubscribed)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
