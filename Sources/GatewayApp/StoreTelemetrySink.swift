import Chronos
import GatewayCore
import Inference
import Logging
import Store
import Synchronization

/// Hands machine readings to the store writer, which stores them and appends them to the
/// signed log in the same transaction, together with the `regime_shift` events the watched
/// points produce (`regime_shift.points`). The writer applies back-pressure by suspending
/// `deliver` when the database falls behind, so a driver slows down instead of losing readings.
final class StoreTelemetrySink: TelemetrySink {
    private struct PointKey: Hashable {
        var source: String
        var point: String
    }

    private let writer: StoreWriter
    private let regime: GatewayConfig.RegimeShift
    private let logger: Logger
    private let detectors = Mutex<[PointKey: RegimeShiftDetector]>([:])

    init(writer: StoreWriter, regime: GatewayConfig.RegimeShift = .init(), logger: Logger = Logger(label: "machines")) {
        self.writer = writer
        self.regime = regime
        self.logger = logger
    }

    func deliver(_ samples: [TelemetrySample]) async {
        if samples.isEmpty { return }
        let events = regime.points.isEmpty ? [] : detectShifts(in: samples)
        for event in events {
            let features = event.features.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
            logger.notice("regime shift on \(event.device.rawValue): \(features)")
        }
        // Only cancellation (shutdown) refuses a submission; the driver is stopping anyway.
        try? await writer.submit(StoreBatch(events: events, telemetry: samples))
    }

    private func detectShifts(in samples: [TelemetrySample]) -> [SensingEvent] {
        detectors.withLock { detectors in
            var events: [SensingEvent] = []
            for sample in samples where sample.quality == .good && sample.value.numeric != nil
                && regime.watches(source: sample.source, point: sample.point) {
                let key = PointKey(source: sample.source, point: sample.point)
                var detector = detectors.removeValue(forKey: key)
                    ?? RegimeShiftDetector(source: sample.source, point: sample.point, settings: regime.settings)
                if let event = detector.observe(sample) { events.append(event) }
                detectors[key] = detector
            }
            return events
        }
    }
}
