import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GatewayApp
import GatewayCore
import Ingest
import Ledger
import Logging
import Prometheus
import SensingProto
import Simulation
import Store
import Testing

/// The daemon end to end on 127.0.0.1: UDP in, SQLite out, HTTP health and metrics, clean stop.
@Suite struct DaemonTests {
    func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func framesOverUDPAreStoredAndShutdownCommitsEverything() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = GatewayConfig()
        config.udp.host = "127.0.0.1"
        config.udp.port = 0
        config.http.port = 0
        config.store.path = dir.appendingPathComponent("gw.sqlite").path
        config.detector.calibrationSeconds = 4
        let key = try NoteSignerKey.generate(name: "gw.test/daemon")
        config.ledger.keyFile = dir.appendingPathComponent("gateway.key").path
        _ = FileManager.default.createFile(atPath: config.ledger.keyFile, contents: Data(key.text.utf8), attributes: [.posixPermissions: 0o600])
        config.ledger.checkpointEveryEntries = 1_000_000
        config.ledger.checkpointEverySeconds = 3600
        let registry = PrometheusCollectorRegistry()
        let services = try await buildGateway(config: config, registry: registry, logger: Logger(label: "test"), signals: [])
        let udpPort = try #require(services.udp?.port)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            // 2 devices x 15 s (5 s empty, 5 s walking, 5 s empty) at 100 Hz, in bursts faster than real time.
            var simulator = CSISimulator(scenario: .emptyWalkEmpty, seconds: 15, rate: 100, devices: 2, seed: 7,
                                         startTime: unixMicrosNow())
            let sent = try await sendSimulatedFrames(&simulator, toPort: udpPort)
            try UDPSender(target: "127.0.0.1:\(udpPort)").send([1, 2, 3])  // one malformed datagram
            for _ in 0..<300 where services.udpCounters.snapshot.received < sent + 1 {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(services.udpCounters.snapshot.received == sent + 1)
            #expect(services.udpCounters.snapshot.malformed == 1)

            for _ in 0..<100 where services.httpPort.port == nil { try await Task.sleep(for: .milliseconds(20)) }
            let httpPort = try #require(services.httpPort.port)
            let health = try await get("http://127.0.0.1:\(httpPort)/healthz")
            #expect(health.0 == 200)
            await services.shutdown()
            try await group.waitForAll()
        }

        let store = try GatewayStore(path: config.store.path)
        let devices = try store.devices()
        let frames = devices.reduce(0) { $0 + $1.frames }
        #expect(devices.count == 2)
        #expect(frames == services.udpCounters.snapshot.accepted)
        #expect(try store.features().count > 50)
        let events = try store.events()
        #expect(events.contains { $0.kind == .motion })
        // Shutdown closed every interval.
        #expect(events.allSatisfy { $0.end != nil })
        // Every event write is in the log, and shutdown signed a checkpoint over all of it.
        let logSize = try store.logSize()
        #expect(logSize >= UInt64(events.count))
        let checkpoint = try #require(try store.latestCheckpoint())
        #expect(checkpoint.size == logSize)
        _ = try Checkpoint.open(checkpoint.signedNote, verifierKeys: [key.verifierKey], origin: "gw.test/daemon")
        try store.close()
    }

    @Test func pushingWithoutASigningKeyStopsStartUp() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = GatewayConfig()
        config.udp.enabled = false
        config.http.enabled = false
        config.store.path = dir.appendingPathComponent("gw.sqlite").path
        config.sync.mode = .push
        config.sync.url = "http://127.0.0.1:9"
        do {
            _ = try await buildGateway(config: config, registry: PrometheusCollectorRegistry(), logger: Logger(label: "test"), signals: [])
            Issue.record("the gateway started pushing with no key")
        } catch let error as GatewayError {
            #expect(error.message.contains("ledger.key_file is not set"))
        }
    }
}
