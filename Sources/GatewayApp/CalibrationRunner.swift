import Foundation
import GatewayCore
import Inference
import Ingest
import Logging

/// Learns each device's empty-room calibration from captures, through the same decode,
/// validation and pipeline as replay. Used by `gateway calibrate`, `replay --calibrate-from`
/// and tests. Stores nothing: the caller decides.
public struct CalibrationRunner {
    public struct Options: Sendable {
        /// Captures of the empty room, read in order as one stream per device.
        public var files: [String]
        public var settings = DetectorSettings()
        /// Use only each device's first seconds; nil takes the whole capture.
        public var seconds: Double?
        /// Only these devices (every device seen when empty).
        public var devices: [DeviceID] = []
        public init(files: [String]) { self.files = files }
    }

    public struct Learnt: Sendable {
        public var device: DeviceID
        public var calibration: Calibration
        public var quality: CalibrationQuality { calibration.quality }
    }

    public struct Result: Sendable {
        /// One per device, ordered by device.
        public var learnt: [Learnt] = []
        public var counters = IngestCounters.Snapshot()
        /// Files cut short by a damaged record, and what was wrong.
        public var problems: [String] = []
        /// What the calibrations were learnt from, for `CalibrationRecord.source`.
        public var source = ""
        public var byDevice: [DeviceID: Calibration] {
            Dictionary(learnt.map { ($0.device, $0.calibration) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public let options: Options
    public let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run() throws -> Result {
        var settings = options.settings
        settings.calibrationSeconds = options.seconds ?? .greatestFiniteMagnitude
        var pass = ReplaySession(pipeline: SensingPipeline(settings: settings), store: nil,
                                 commitRows: 4096, logger: logger, progress: nil)
        for file in options.files {
            try pass.feed(file: file)
        }
        try pass.finish()
        let names = options.files.joined(separator: ", ")
        let calibrations = pass.pipeline.calibrations
        guard !calibrations.isEmpty else {
            throw GatewayError(.malformedInput,
                "\(names) gave no usable frames to calibrate from (\(pass.summary.counters.received) records, \(pass.summary.counters.malformed) malformed); pick a capture of the empty room in a format 'gateway inspect' recognises")
        }
        var wanted = options.devices.isEmpty ? calibrations.keys.sorted() : options.devices
        if !options.devices.isEmpty {
            let missing = options.devices.filter { calibrations[$0] == nil }
            if !missing.isEmpty {
                throw GatewayError(.notFound,
                    "\(names) hold no frames of device \(missing.map { "'\($0)'" }.joined(separator: ", ")); devices seen: \(calibrations.keys.sorted().map(\.rawValue).joined(separator: ", ")). Check --device")
            }
            wanted = Array(Set(wanted)).sorted()
        }
        var result = Result()
        result.learnt = wanted.compactMap { device in
            calibrations[device].map { Learnt(device: device, calibration: $0) }
        }
        result.counters = pass.summary.counters
        result.problems = pass.summary.problems
        result.source = options.files.map { CalibrationRunner.source(for: $0) }.joined(separator: ",")
        return result
    }

    /// `capture:<absolute path>`.
    static func source(for file: String) -> String {
        "capture:" + URL(fileURLWithPath: file).standardizedFileURL.path
    }
}
