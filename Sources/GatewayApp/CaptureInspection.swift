import GatewayCore
import Ingest

/// What `gateway inspect` reports about one capture file: read once, nothing stored.
public struct CaptureInspection: Sendable {
    public struct Device: Sendable {
        public var id: DeviceID
        public var frames = 0
        public var first: Int64 = .max
        public var last: Int64 = .min
        public var rssiSum = 0.0
        /// CSI frames (the ones with an RSSI); the rest are GaN PA frames.
        public var csiFrames = 0
        /// Frames per (bandwidth, subcarrier count, layout), e.g. "20 MHz, 64 sc, lltf".
        public var shapes: [String: Int] = [:]

        public var seconds: Double { frames > 1 ? Double(last - first) / 1_000_000 : 0 }
        public var rate: Double { seconds > 0 ? Double(frames - 1) / seconds : 0 }
    }

    public var path: String
    public var format = ""
    public var chip: String?
    public var records = 0
    public var frames = 0
    public var malformed = 0
    /// The first few malformed reasons, in file order.
    public var firstProblems: [String] = []
    public var devices: [DeviceID: Device] = [:]
    public var problem: String?
    /// The diffusion engine's figures per device (nil when the capture holds no CSI frames or
    /// they could not be measured).
    public var energy: EnergyInspection?

    public static let keptProblems = 5

    public init(path: String) throws {
        self.path = path
        var reader = try CaptureFormats.open(path: path)
        format = reader.formatName
        while let record = reader.nextRecord() {
            records += 1
            switch record {
            case .malformed(let reason):
                malformed += 1
                if firstProblems.count < Self.keptProblems { firstProblems.append(reason.description) }
            case .frames(let list):
                for frame in list { count(frame) }
            case .paFrames(let list):
                for frame in list { count(frame) }
            }
        }
        format = reader.formatName
        chip = reader.chipName
        problem = reader.problem
        if devices.values.contains(where: { $0.csiFrames > 0 }) { energy = try? EnergyInspection(path: path) }
    }

    private mutating func count(_ frame: CSIFrame) {
        frames += 1
        var device = devices[frame.device] ?? Device(id: frame.device)
        device.frames += 1
        device.first = min(device.first, frame.timestamp)
        device.last = max(device.last, frame.timestamp)
        device.rssiSum += Double(frame.rssi)
        device.csiFrames += 1
        device.shapes["\(frame.bandwidth.rawValue) MHz, \(frame.subcarrierCount) sc, \(frame.layout.rawValue)", default: 0] += 1
        devices[frame.device] = device
    }

    private mutating func count(_ frame: PAFrame) {
        frames += 1
        var device = devices[frame.device] ?? Device(id: frame.device)
        device.frames += 1
        device.first = min(device.first, frame.timestamp)
        device.last = max(device.last, frame.timestamp)
        device.shapes["GaN PA, \(frame.sampleCount) I/Q samples at \(frame.sampleRateHz / 1e6) MS/s, \(frame.centerFrequencyHz / 1e6) MHz", default: 0] += 1
        devices[frame.device] = device
    }

    /// The text `gateway inspect` prints.
    public var report: String {
        var lines = ["\(path)"]
        lines.append("  format      \(format)\(chip.map { ", chip \($0)" } ?? "")")
        lines.append("  frames      \(frames) from \(records) records, \(malformed) malformed")
        for problem in firstProblems { lines.append("    malformed: \(problem)") }
        if let problem { lines.append("  problem     \(problem)") }
        for device in devices.values.sorted(by: { $0.id < $1.id }) {
            let shapes = device.shapes.sorted { $0.value > $1.value }.map { "\($0.key) x\($0.value)" }.joined(separator: "; ")
            let rssi = device.csiFrames > 0 ? ", mean RSSI \(fmt(device.rssiSum / Double(device.csiFrames))) dBm" : ""
            lines.append("  device      \(device.id): \(device.frames) frames over \(fmt(device.seconds)) s, \(fmt(device.rate)) frames/s\(rssi)")
            lines.append("              \(shapes)")
            if device.csiFrames > 0, let energy { lines.append(contentsOf: energy.lines(for: device.id)) }
        }
        return lines.joined(separator: "\n")
    }

    private func fmt(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
