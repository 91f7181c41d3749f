import Foundation
import GatewayCore
import Inference
import Store

/// How calibrations look on the command line (`gateway calibrate`): a block per calibration for
/// people, one JSON object per line for tools.
public enum CalibrationFormatting {
    /// One calibration to print: learnt just now (no row yet, unless stored) or read from the
    /// store (a row, and the calibration unless its body could not be read).
    public struct Entry: Sendable {
        public var device: DeviceID
        public var source: String
        public var created: Int64
        public var row: Int64?
        public var calibration: Calibration?
        /// Why the stored body could not be read (then `calibration` is nil and `record` has the figures).
        public var error: String?
        public var record: CalibrationRecord?

        public init(device: DeviceID, calibration: Calibration, source: String, created: Int64, row: Int64?) {
            self.device = device
            self.calibration = calibration
            self.source = source
            self.created = created
            self.row = row
        }

        /// A stored row, decoded if possible.
        public init(record: CalibrationRecord, path: String) {
            device = record.device
            source = record.source
            created = record.created
            row = record.id
            self.record = record
            do {
                calibration = try record.calibration(in: path)
            } catch let error as GatewayError {
                self.error = error.message
            } catch {
                self.error = "\(error)"
            }
        }

        /// good, poor, or unreadable.
        public var verdict: String { calibration?.quality.verdict.rawValue ?? "unreadable" }
    }

    public static func text(_ entry: Entry) -> String {
        var lines = ["\(entry.device)  \(entry.verdict)"]
        func line(_ label: String, _ value: String) {
            lines.append("  " + label.padding(toLength: 13, withPad: " ", startingAt: 0) + value)
        }
        line("source", entry.source)
        line("created", EventFormatting.iso8601(entry.created))
        line("stored", entry.row.map { "row \($0)" } ?? "no")
        if let cal = entry.calibration {
            line("learnt from", String(format: "%d windows over %.1f s", cal.windows, cal.seconds))
            line("motion", String(format: "threshold %.4g (empty room p95 %.4g)", cal.motionThreshold, cal.motionP95))
            line("presence", String(format: "threshold %.4g (empty room p95 %.4g)", cal.presenceThreshold, cal.presenceP95))
            line("gain steps", String(format: "%.1f%% of frames, gain compensation %@",
                                      cal.gainStepFraction * 100, cal.gainCompensated ? "on" : "off"))
            for warning in cal.warnings { line("warning", warning) }
            for reason in cal.quality.reasons where !cal.warnings.contains(reason) { line("poor", reason) }
        } else if let record = entry.record {
            line("learnt from", String(format: "%d windows over %.1f s", record.windows, record.seconds))
            line("motion", String(format: "threshold %.4g", record.motionThreshold))
            line("presence", String(format: "threshold %.4g", record.presenceThreshold))
            for warning in record.warnings { line("warning", warning) }
        }
        if let error = entry.error { line("unreadable", error) }
        return lines.joined(separator: "\n")
    }

    /// One JSON object: device, verdict, reasons, source, created (ISO 8601) and created_us, row
    /// (null when not stored), windows, seconds, motion_threshold, motion_p95, presence_threshold,
    /// presence_p95, gain_step_fraction, gain_compensated, warnings; `error` for unreadable rows.
    /// Non-finite numbers are null.
    public static func jsonLine(_ entry: Entry) -> String {
        func number(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
        var object: [String: Any] = [
            "device": entry.device.rawValue, "verdict": entry.verdict, "source": entry.source,
            "created": EventFormatting.iso8601(entry.created), "created_us": entry.created,
            "row": entry.row.map { $0 as Any } ?? NSNull(),
        ]
        if let cal = entry.calibration {
            object["windows"] = cal.windows
            object["seconds"] = number(cal.seconds)
            object["motion_threshold"] = number(cal.motionThreshold)
            object["motion_p95"] = number(cal.motionP95)
            object["presence_threshold"] = number(cal.presenceThreshold)
            object["presence_p95"] = number(cal.presenceP95)
            object["gain_step_fraction"] = number(cal.gainStepFraction)
            object["gain_compensated"] = cal.gainCompensated
            object["warnings"] = cal.warnings
            object["reasons"] = cal.quality.reasons
        } else if let record = entry.record {
            object["windows"] = record.windows
            object["seconds"] = number(record.seconds)
            object["motion_threshold"] = number(record.motionThreshold)
            object["presence_threshold"] = number(record.presenceThreshold)
            object["gain_step_fraction"] = number(record.gainStepFraction)
            object["warnings"] = record.warnings
        }
        if let error = entry.error { object["error"] = error }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
