import Foundation
import GatewayCore
import Inference
import Ingest
import Ledger
import Logging
import Store

/// Runs captures through the same decode, validation and sensing pipeline as live ingest, as
/// fast as the CPU allows, and stores the results. Used by `gateway replay` and by tests.
public struct ReplayRunner {
    public struct Options: Sendable {
        public var files: [String]
        public var databasePath: String
        public var settings = DetectorSettings()
        /// GaN PA health thresholds and sensing settings.
        public var paSettings = PASettingsTable()
        /// Calibrate each device from another capture first (all of it is taken as empty).
        public var calibrateFrom: String?
        /// Start each device with the newest calibration stored in the database (from
        /// `gateway calibrate` or the daemon); devices without one calibrate on their first
        /// `settings.calibrationSeconds`. Fails when the database holds no calibration.
        public var useStoredCalibration = false
        /// Rows per store transaction.
        public var commitRows = 4096
        /// Signs checkpoints of the database's log (by `log`'s policy, and one at the end).
        public var signer: NoteSignerKey?
        public var log = LogOptions()
        public init(files: [String], databasePath: String) {
            self.files = files
            self.databasePath = databasePath
        }
    }

    public struct Summary: Sendable {
        public var files = 0
        public var counters = IngestCounters.Snapshot()
        public var windows = 0
        /// PA measurements stored as telemetry samples.
        public var telemetrySamples = 0
        /// Energy signatures appended to the log (diffusion engine).
        public var energySignatures = 0
        public var eventsByKind: [String: Int] = [:]
        public var devices = 0
        public var seconds = 0.0
        public var calibrations: [DeviceID: Calibration] = [:]
        /// Entries in the database's Merkle log after the replay, and the size its newest
        /// signed checkpoint covers (nil: none).
        public var logEntries: UInt64 = 0
        public var checkpointSize: UInt64?
        /// Devices whose calibration came from the database (`useStoredCalibration`).
        public var storedCalibrations: Set<DeviceID> = []
        public var problems: [String] = []
        /// Files read per format.
        public var formats: [String: Int] = [:]
        public var framesPerSecond: Double { seconds > 0 ? Double(counters.accepted) / seconds : 0 }
    }

    public let options: Options
    public let logger: Logger
    /// Called with (bytes done, bytes in all) at most every 100 ms.
    public var progress: ((Int, Int) -> Void)?

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run() throws -> Summary {
        let clock = ContinuousClock()
        let started = clock.now
        if options.useStoredCalibration, let calibrateFrom = options.calibrateFrom {
            throw GatewayError(.invalidConfig,
                "replay was asked to calibrate both from \(calibrateFrom) and from the calibrations stored in \(options.databasePath); choose one")
        }
        var pipeline = try Self.pipeline(settings: options.settings, calibrateFrom: options.calibrateFrom,
                                         paSettings: options.paSettings, logger: logger)
        var logOptions = options.log
        logOptions.signer = options.signer
        let store = try GatewayStore(path: options.databasePath, options: StoreOptions(log: logOptions))
        var stored: [DeviceID: Calibration] = [:]
        if options.useStoredCalibration {
            do {
                stored = try Self.storedCalibrations(in: store)
            } catch {
                try? store.close()
                throw error
            }
            pipeline = SensingPipeline(settings: options.settings, calibrations: stored, paSettings: options.paSettings)
        }
        var session = ReplaySession(
            pipeline: pipeline,
            store: store, commitRows: options.commitRows, logger: logger, progress: progress)
        for file in options.files {
            try session.feed(file: file)
        }
        try session.finish()
        if let signer = options.signer { try store.signCheckpoint(with: signer) }
        let logSize = try store.logSize()
        let checkpoint = try store.latestCheckpoint()
        try store.close()
        var summary = session.summary
        summary.calibrations = session.pipeline.calibrations
        summary.storedCalibrations = Set(stored.keys).intersection(summary.calibrations.keys)
        summary.devices = session.pipeline.deviceCount
        summary.logEntries = logSize
        summary.checkpointSize = checkpoint?.size
        let elapsed = (clock.now - started).components
        summary.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return summary
    }
}

extension ReplayRunner {
    /// The pipeline a replay runs: calibrated from `calibrateFrom` when given (then nothing of
    /// the replayed stream is spent on calibrating), otherwise from each stream's first seconds.
    static func pipeline(settings: DetectorSettings, calibrateFrom: String?, paSettings: PASettingsTable = .init(),
                         logger: Logger) throws -> SensingPipeline {
        guard let calibrateFrom else { return SensingPipeline(settings: settings, paSettings: paSettings) }
        let (preset, fallback) = try calibrations(from: calibrateFrom, settings: settings, logger: logger)
        var settings = settings
        settings.calibrationSeconds = .greatestFiniteMagnitude
        return SensingPipeline(settings: settings, calibrations: preset, fallback: fallback, paSettings: paSettings)
    }

    /// The newest calibration per device in `store`; throws when there is none or one cannot be read.
    static func storedCalibrations(in store: GatewayStore) throws -> [DeviceID: Calibration] {
        let stored = try StoredCalibrations.latest(in: store, strict: true).byDevice
        guard !stored.isEmpty else {
            throw GatewayError(.notFound,
                "\(store.path) holds no calibration; store one with 'gateway calibrate EMPTY_CAPTURE --db \(store.path)', or replay without --use-stored-calibration")
        }
        return stored
    }

    /// Calibrations learnt from a capture of the empty room (all of it), by device; `fallback`
    /// is the single calibration when the capture had one device, for streams named otherwise.
    static func calibrations(from file: String, settings: DetectorSettings, logger: Logger) throws
        -> (byDevice: [DeviceID: Calibration], fallback: Calibration?)
    {
        var options = CalibrationRunner.Options(files: [file])
        options.settings = settings
        let learnt = try CalibrationRunner(options: options, logger: logger).run().byDevice
        return (learnt, learnt.count == 1 ? learnt.values.first : nil)
    }
}

/// One pass over one or more captures into one pipeline (and optionally a store).
struct ReplaySession {
    var pipeline: SensingPipeline
    var output = SensingPipeline.Output()
    var summary = ReplayRunner.Summary()
    let store: GatewayStore?
    let commitRows: Int
    let logger: Logger
    let progress: ((Int, Int) -> Void)?
    /// When set, every window's features and every closed event are kept here (evaluation).
    var collected: SensingPipeline.Output?

    init(pipeline: SensingPipeline, store: GatewayStore?, commitRows: Int, logger: Logger, progress: ((Int, Int) -> Void)?) {
        self.pipeline = pipeline
        self.store = store
        self.commitRows = commitRows
        self.logger = logger
        self.progress = progress
    }

    mutating func feed(file: String) throws {
        var reader = try CaptureFormats.open(path: file)
        var validator = FrameValidator(maxDevices: 100_000)
        var paValidator = FrameValidator(maxDevices: 100_000)
        let counters = IngestCounters(source: "replay")
        var malformedLog = BurstLogger(quietSeconds: 1)
        var pending = 0
        var lastProgress = ContinuousClock.now
        summary.files += 1
        while let record = reader.nextRecord() {
            counters.countReceived()
            switch record {
            case .malformed(let reason):
                counters.countMalformed()
                malformedLog.report("\(file): skipping malformed record: \(reason)", now: unixMicrosNow(), logger: logger)
            case .frames(let frames):
                for frame in frames {
                    var lost = 0
                    switch validator.check(device: frame.device, sequence: frame.sequence) {
                    case .accept(let gap): lost = gap; counters.countLost(gap)
                    case .restart: counters.countRestart()
                    case .duplicate: counters.countDuplicate(); continue
                    case .tooManyDevices: counters.countDropped(); continue
                    }
                    counters.countAccepted()
                    pipeline.process(frame, lostBefore: lost, into: &output)
                    pending += 1
                }
            case .paFrames(let frames):
                for frame in frames {
                    switch paValidator.check(device: frame.device, sequence: frame.sequence) {
                    case .accept(let gap): counters.countLost(gap)
                    case .restart: counters.countRestart()
                    case .duplicate: counters.countDuplicate(); continue
                    case .tooManyDevices: counters.countDropped(); continue
                    }
                    counters.countAccepted()
                    pipeline.process(frame, into: &output)
                    pending += 1
                }
            }
            if pending >= commitRows || output.features.count >= commitRows {
                try commit()
                pending = 0
            }
            if let progress, ContinuousClock.now - lastProgress > .milliseconds(100) {
                lastProgress = .now
                progress(reader.position, reader.size)
            }
        }
        malformedLog.flush(logger: logger)
        if let problem = reader.problem {
            logger.warning("\(file): \(problem); frames before it were replayed")
            summary.problems.append("\(file): \(problem)")
        }
        progress?(reader.size, reader.size)
        summary.counters.add(counters.snapshot)
        summary.formats[reader.formatName, default: 0] += 1
    }

    mutating func finish() throws {
        pipeline.finish(into: &output)
        try commit()
    }

    private mutating func commit() throws {
        summary.windows += output.features.count
        for event in output.events where event.end != nil {
            summary.eventsByKind[event.kind.rawValue, default: 0] += 1
        }
        summary.telemetrySamples += output.telemetry.count
        summary.energySignatures += output.energySignatures.count
        if collected != nil {
            collected?.features.append(contentsOf: output.features)
            collected?.events.append(contentsOf: output.events.filter { $0.end != nil })
            collected?.energySignatures.append(contentsOf: output.energySignatures)
        }
        var batch = StoreBatch()
        batch.append(output)
        output.removeAll()
        if let store, !batch.isEmpty { _ = try store.write(batch) }
    }
}
