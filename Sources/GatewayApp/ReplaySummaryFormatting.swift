import Foundation

/// The summary `gateway replay` prints.
public enum ReplaySummaryFormatting {
    public static func text(_ s: ReplayRunner.Summary, database: String?) -> String {
        var lines: [String] = []
        let c = s.counters
        let formats = s.formats.keys.sorted().map { "\($0) \(s.formats[$0] ?? 0)" }.joined(separator: ", ")
        lines.append("files        \(s.files) (\(formats))")
        lines.append("records      \(c.received)")
        lines.append("frames       \(c.accepted) accepted, \(c.malformed) malformed, \(c.duplicates) duplicate, \(c.dropped) dropped, \(c.lost) lost in transit (sequence gaps)")
        lines.append("devices      \(s.devices)")
        lines.append("windows      \(s.windows)")
        let kinds = s.eventsByKind.keys.sorted().map { "\($0) \(s.eventsByKind[$0] ?? 0)" }
        lines.append("events       \(kinds.isEmpty ? "none" : kinds.joined(separator: ", "))")
        for device in s.calibrations.keys.sorted() {
            guard let cal = s.calibrations[device] else { continue }
            let origin = s.storedCalibrations.contains(device) ? " (stored)" : ""
            lines.append(String(format: "calibration  %@%@: %d windows over %.1f s, motion threshold %.3g, presence threshold %.3g",
                                device.rawValue, origin, cal.windows, cal.seconds, cal.motionThreshold, cal.presenceThreshold))
            for warning in cal.warnings { lines.append("             warning: \(warning)") }
        }
        let covered = s.checkpointSize.map { "checkpoint signed over \($0)" } ?? "no checkpoint (pass --key FILE to sign one)"
        lines.append("log          \(s.logEntries) entries, \(covered)")
        for problem in s.problems { lines.append("problem      \(problem)") }
        lines.append(String(format: "speed        %.0f frames/s (%.2f s)", s.framesPerSecond, s.seconds))
        lines.append("database     \(database ?? "(temporary, removed; pass --db FILE to keep the results)")")
        return lines.joined(separator: "\n")
    }

    public static func json(_ s: ReplayRunner.Summary) -> String {
        let object: [String: Any] = [
            "files": s.files, "formats": s.formats, "records": s.counters.received, "frames": s.counters.accepted,
            "malformed": s.counters.malformed, "duplicates": s.counters.duplicates, "dropped": s.counters.dropped,
            "lost": s.counters.lost, "devices": s.devices, "windows": s.windows, "events": s.eventsByKind,
            "seconds": s.seconds, "frames_per_second": s.framesPerSecond, "problems": s.problems,
            "log_entries": s.logEntries, "checkpoint_size": s.checkpointSize.map { $0 as Any } ?? NSNull(),
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
