import Foundation
import GatewayCore
import Ingest
import SensingProto
import Simulation

/// Drives the GaN PA simulator into a capture file (as fast as possible, with the ground truth
/// in `<file>.labels.json`) or a UDP socket (in real time).
public struct PASimulateRunner {
    public let scenario: PAScenario
    public let options: PASimulator.Options

    public init(scenario: PAScenario, options: PASimulator.Options) {
        self.scenario = scenario
        self.options = options
    }

    /// Writes a capture file and its labels. Returns frames written.
    public func write(to path: String, startTime: Int64 = 1_767_225_600_000_000) throws -> Int {
        var simulator = PASimulator(scenario: scenario, options: options, startTime: startTime)
        let writer = try CaptureFileWriter(path: path)
        while let frame = simulator.next() {
            try writer.write(PbEnvelope(ganPa: PbGanPaFrame(frame, receiveTime: frame.timestamp)))
        }
        try writer.close()
        try writeLabels(simulator, startTime: startTime, to: path + ".labels.json")
        return writer.records
    }

    /// Streams to `target` in real time, one frame per datagram.
    public func stream(to target: String) async throws -> Int {
        let sender = try UDPSender(target: target)
        let start = unixMicrosNow()
        var simulator = PASimulator(scenario: scenario, options: options, startTime: start)
        var sent = 0
        while let frame = simulator.next() {
            let wait = frame.timestamp - unixMicrosNow()
            if wait > 1_000 { try await Task.sleep(for: .microseconds(wait)) }
            let bytes: [UInt8] = try PbEnvelope(ganPa: PbGanPaFrame(frame)).serializedBytes()
            if sender.send(bytes) { sent += 1 }
        }
        return sent
    }

    private func writeLabels(_ simulator: PASimulator, startTime: Int64, to path: String) throws {
        let rows: [[String: Any]] = simulator.labels.map {
            ["kind": $0.kind, "start_s": $0.start, "end_s": $0.end,
             "start_us": startTime + Int64($0.start * 1_000_000), "end_us": startTime + Int64($0.end * 1_000_000)]
        }
        let object: [String: Any] = [
            "scenario": scenario.rawValue, "seconds": options.seconds, "rate_hz": options.rate, "seed": options.seed,
            "device": options.device.rawValue, "start_us": startTime, "intervals": rows,
            "sample_count": options.sampleCount, "sample_rate_hz": options.sampleRateHz,
            "center_frequency_hz": options.centerFrequencyHz,
            "small_signal_gain_db_25c": simulator.amplifier.gainDb,
            "input_p1db_dbm_25c": simulator.amplifier.inputP1dBm(),
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
}
