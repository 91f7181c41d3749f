import Foundation
import GatewayApp
import GatewayCore
import Inference
import Ingest
import Logging
import Prometheus
import SensingProto
import Simulation
import Store
import Testing

/// The daemon starts devices with their stored calibration and stores the ones it learns live.
@Suite struct DaemonCalibrationTests {
    @Test func storedCalibrationIsUsedAtStartAndLiveOnesAreSaved() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // sim-01's empty room, stored as 'gateway calibrate' would; sim-02 has none.
        let empty = try CalibrateCommandTests.emptyCapture(in: dir, devices: 2, seed: 7)
        var learn = CalibrationRunner.Options(files: [empty])
        learn.devices = ["sim-01"]
        let learnt = try CalibrationRunner(options: learn, logger: Logger(label: "test")).run()
        let db = dir.appendingPathComponent("gw.sqlite").path
        let seed = try GatewayStore(path: db)
        let storedRow = try seed.saveCalibration(
            try CalibrationRecord(device: "sim-01", calibration: try #require(learnt.byDevice["sim-01"]), source: learnt.source))
        try seed.close()

        var config = GatewayConfig()
        config.udp.host = "127.0.0.1"
        config.udp.port = 0
        config.http.enabled = false
        config.store.path = db
        config.detector.calibrationSeconds = 3
        let services = try await buildGateway(config: config, registry: PrometheusCollectorRegistry(),
                                              logger: Logger(label: "test"), signals: [])
        let udpPort = try #require(services.udp?.port)
        let start = unixMicrosNow()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            // Someone walks from the first frame: only a device that starts calibrated sees it early.
            var simulator = CSISimulator(scenario: .walk, seconds: 8, rate: 100, devices: 2, seed: 7, startTime: start)
            let sent = try await sendSimulatedFrames(&simulator, toPort: udpPort)
            for _ in 0..<300 where services.udpCounters.snapshot.received < sent {
                try await Task.sleep(for: .milliseconds(10))
            }
            await services.shutdown()
            try await group.waitForAll()
        }

        let store = try GatewayStore(path: db)
        defer { try? store.close() }
        // sim-01 kept its stored calibration (no live one) and judged the walk from its start.
        #expect(try store.calibrations(device: "sim-01").map(\.id) == [storedRow])
        let motion = try store.events(EventQuery(kind: .motion, device: "sim-01"))
        #expect((motion.first?.start ?? .max) < start + 2_000_000)
        // sim-02 calibrated on its first 3 s and that calibration was stored through the writer.
        let live = try store.calibrations(device: "sim-02")
        #expect(live.map(\.source) == ["live"])
        #expect(try live.first?.calibration(in: db).windows ?? 0 > 5)
    }
}
