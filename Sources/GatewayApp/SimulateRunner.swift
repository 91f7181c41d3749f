import Foundation
import GatewayCore
import Ingest
import SensingProto
import Simulation

/// Drives the CSI simulator into a capture file (as fast as possible) or a UDP socket (in real
/// time, one frame per datagram like an ESP32 node).
public struct SimulateRunner {
    public struct Options: Sendable {
        public var scenario: ScenarioName
        public var seconds: Double = 30
        public var rate: Double = 100
        public var devices = 1
        public var seed: UInt64 = 1
        /// Band, bandwidth, noise, AGC steps, packet loss and jitter (default: ESP32 HT20 on
        /// 2.4 GHz channel 6, no steps, no loss).
        public var simulation = SimulationOptions()
        public init(scenario: ScenarioName) { self.scenario = scenario }
    }

    public let options: Options
    public init(options: Options) { self.options = options }

    /// Writes a capture file and a `<file>.labels.json` with the ground truth. Returns frames written.
    /// Options that `SimulationOptions.frameFormat()` rejects throw `GatewayError` (`.invalidConfig`).
    public func write(to path: String, startTime: Int64 = 1_767_225_600_000_000) throws -> Int {
        var simulator = try makeSimulator(startTime: startTime)
        let writer = try CaptureFileWriter(path: path)
        while let frame = simulator.next() {
            try writer.write(PbEnvelope(csi: PbCsiFrame(frame, receiveTime: frame.timestamp, wallTime: frame.timestamp)))
        }
        try writer.close()
        try writeLabels(simulator.labels, format: simulator.format, startTime: startTime, to: path + ".labels.json")
        return writer.records
    }

    /// Streams to `target` in real time. `onFrame` sees each frame sent.
    public func stream(to target: String, onFrame: (CSIFrame) -> Void = { _ in }) async throws -> Int {
        let sender = try UDPSender(target: target)
        let start = unixMicrosNow()
        var simulator = try makeSimulator(startTime: start)
        var sent = 0
        while let frame = simulator.next() {
            let wait = frame.timestamp - unixMicrosNow()
            if wait > 1_000 { try await Task.sleep(for: .microseconds(wait)) }
            let bytes: [UInt8] = try PbEnvelope(csi: PbCsiFrame(frame, wallTime: frame.timestamp)).serializedBytes()
            if sender.send(bytes) { sent += 1 }
            onFrame(frame)
        }
        return sent
    }

    private func makeSimulator(startTime: Int64) throws(GatewayError) -> CSISimulator {
        _ = try options.simulation.frameFormat()
        return CSISimulator(scenario: options.scenario, seconds: options.seconds, rate: options.rate,
                            devices: options.devices, seed: options.seed, startTime: startTime,
                            options: options.simulation)
    }

    /// The ground truth (which the radio options never change) and, for reference, the radio
    /// and link settings of the run.
    private func writeLabels(_ labels: [GroundTruthInterval], format: FrameFormat, startTime: Int64, to path: String) throws {
        let rows: [[String: Any]] = labels.map {
            ["kind": $0.kind, "start_s": $0.start, "end_s": $0.end,
             "start_us": startTime + Int64($0.start * 1_000_000), "end_us": startTime + Int64($0.end * 1_000_000)]
        }
        let object: [String: Any] = [
            "scenario": options.scenario.rawValue, "seconds": options.seconds, "rate_hz": options.rate,
            "devices": options.devices, "seed": options.seed, "start_us": startTime, "intervals": rows,
            "band_ghz": format.band.rawValue, "bandwidth_mhz": format.bandwidth.rawValue, "channel": Int(format.channel),
            "loss_fraction": options.simulation.lossFraction, "agc_steps_per_min": options.simulation.agcStepsPerMinute,
            "jitter": options.simulation.timingJitter,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
}
