import GatewayCore
import Inference
import Logging
import Store

/// The calibrations a store holds, decoded: what `gateway run` starts each device with and what
/// `gateway replay --use-stored-calibration` replays with.
public struct StoredCalibrations: Sendable {
    public struct Entry: Sendable {
        public var record: CalibrationRecord
        public var calibration: Calibration
    }

    /// The newest readable calibration per device.
    public var entries: [DeviceID: Entry] = [:]
    /// Rows that could not be read, with the error naming them (only when loaded leniently).
    public var unreadable: [GatewayError] = []

    public var byDevice: [DeviceID: Calibration] { entries.mapValues(\.calibration) }

    /// The newest calibration per device of `store`.
    ///
    /// Strict (replay, the command line): a row that cannot be decoded throws its error. Lenient
    /// (the daemon): it is kept in `unreadable` and that device learns a new calibration live.
    public static func latest(in store: GatewayStore, strict: Bool) throws -> StoredCalibrations {
        var result = StoredCalibrations()
        for record in try store.latestCalibrations() {
            do {
                result.entries[record.device] = Entry(record: record, calibration: try record.calibration(in: store.path))
            } catch let error as GatewayError where !strict {
                result.unreadable.append(error)
            }
        }
        return result
    }

    /// One info line per loaded calibration, one warning per unreadable row.
    public func log(to logger: Logger) {
        for device in entries.keys.sorted() {
            guard let entry = entries[device] else { continue }
            let quality = entry.calibration.quality
            logger.info("loaded stored calibration", metadata: [
                "device.id": "\(device)", "calibration.row": "\(entry.record.id ?? 0)",
                "calibration.source": "\(entry.record.source)",
                "calibration.created": "\(EventFormatting.iso8601(entry.record.created))",
                "calibration.verdict": "\(quality.verdict.rawValue)",
                "motion.threshold": "\(entry.calibration.motionThreshold)",
                "presence.threshold": "\(entry.calibration.presenceThreshold)",
            ])
            for reason in quality.reasons {
                logger.warning("stored calibration of \(device) is poor: \(reason)")
            }
        }
        for error in unreadable {
            logger.warning("\(error.message); that device calibrates on its first seconds instead")
        }
    }
}
