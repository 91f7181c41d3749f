import GatewayCore
import Inference
import Ingest
import Logging
import Metrics
import ServiceLifecycle
import Store

/// Drains the ingest queue through the sensing pipeline into the store writer.
///
/// It does not stop on graceful shutdown by itself: the sources stop first and finish the
/// queue, then this service processes what is left, closes open intervals and returns, so
/// everything received is committed (the store writer stops after it).
final class PipelineService: Service {
    private let queue: IngestQueue
    private let writer: StoreWriter
    private let settings: DetectorSettings
    private let paSettings: PASettingsTable
    /// Calibrations to start devices with (the store's latest); others learn theirs live.
    private let calibrations: [DeviceID: Calibration]
    private let logger: Logger
    private let eventSink: @Sendable (SensingEvent) -> Void
    private let queueDepth = Gauge(label: "gateway_ingest_queue_depth")
    private let windowsCounter = Counter(label: "gateway_pipeline_windows_total")
    private let eventsCounter = Counter(label: "gateway_pipeline_events_total")

    init(queue: IngestQueue, writer: StoreWriter, settings: DetectorSettings, paSettings: PASettingsTable = .init(),
         calibrations: [DeviceID: Calibration] = [:], logger: Logger,
         eventSink: @escaping @Sendable (SensingEvent) -> Void = { _ in }) {
        self.queue = queue
        self.writer = writer
        self.settings = settings
        self.paSettings = paSettings
        self.calibrations = calibrations
        self.logger = logger
        self.eventSink = eventSink
    }

    func run() async throws {
        var pipeline = SensingPipeline(settings: settings, calibrations: calibrations, paSettings: paSettings)
        var output = SensingPipeline.Output()
        var tally = ActivityTally()
        while let frames = await queue.next(maxFrames: 1024) {
            for frame in frames {
                tally.count(frame)
                pipeline.process(frame, into: &output)
            }
            queueDepth.record(queue.depth)
            try await commit(&output, &tally)
        }
        pipeline.finish(into: &output)
        try await commit(&output, &tally)
        logger.info("pipeline drained", metadata: ["devices": "\(pipeline.deviceCount)"])
    }

    private func commit(_ output: inout SensingPipeline.Output, _ tally: inout ActivityTally) async throws {
        guard !output.isEmpty || !tally.isEmpty else { return }
        var batch = StoreBatch(devices: tally.drain())
        for (device, calibration) in output.calibrated {
            logger.info(
                "calibrated empty room",
                metadata: ["device.id": "\(device)", "windows": "\(calibration.windows)",
                           "motion.threshold": "\(calibration.motionThreshold)",
                           "presence.threshold": "\(calibration.presenceThreshold)"])
            for warning in calibration.warnings {
                logger.warning("calibration of \(device): \(warning)")
            }
            // Stored through the writer like every other row, so the next start begins with it.
            do {
                batch.calibrations.append(try CalibrationRecord(device: device, calibration: calibration, source: CalibrationRecord.live))
            } catch {
                logger.warning("calibration of \(device) cannot be stored, it is used until the gateway stops: \(error)")
            }
        }
        for (device, calibration) in output.adapted {
            logger.debug("calibration adapted to drift", metadata: ["device.id": "\(device)", "level.reference": "\(calibration.levelReference)"])
            do {
                batch.calibrations.append(try CalibrationRecord(device: device, calibration: calibration, source: CalibrationRecord.adapted))
            } catch {
                logger.warning("adapted calibration of \(device) cannot be stored: \(error)")
            }
        }
        for event in output.events {
            eventSink(event)
            logger.info(
                "event \(event.kind) \(event.end == nil ? "started" : "ended")",
                metadata: ["device.id": "\(event.device)", "event.id": "\(event.id)",
                           "confidence": "\(event.confidence)"])
        }
        windowsCounter.increment(by: output.features.count)
        eventsCounter.increment(by: output.events.count)
        batch.append(output)
        output.removeAll()
        try await writer.submit(batch)
    }
}
