import Foundation

/// The table and JSON `gateway eval` prints.
public enum EvaluationFormatting {
    public static func text(_ results: [DetectionEvaluator.Result]) -> String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
        var lines = ["case".padding(toLength: 34, withPad: " ", startingAt: 0)
            + " windows positives   recall false alarms  alarms/h  latency  falls  false falls"]
        for r in results {
            let name = r.name.count > 34 ? String(r.name.prefix(34)) : r.name.padding(toLength: 34, withPad: " ", startingAt: 0)
            let alarms = r.negatives > 0 ? "\(r.falseAlarmWindows) (\(percent(r.falseAlarmRate)))" : "-"
            let perHour = r.falseAlarmsPerHour.map { String(format: "%.0f", $0) } ?? "-"
            let latency = r.latencySeconds.map { String(format: "%.1f s", $0) } ?? "-"
            lines.append(name + " "
                + pad(String(r.windows), 7) + pad(String(r.positives), 10) + pad(percent(r.recall), 9)
                + pad(alarms, 13) + pad(perHour, 10) + pad(latency, 9)
                + pad(r.falls > 0 ? "\(r.fallsDetected)/\(r.falls)" : "-", 7) + pad(String(r.falseFalls), 13))
        }
        lines.append(contentsOf: fallSummary(results))
        let warned = results.filter { !$0.calibrationWarnings.isEmpty }
        if !warned.isEmpty {
            lines.append("")
            for r in warned { lines.append("\(r.name): calibration: \(r.calibrationWarnings.joined(separator: "; "))") }
        }
        return lines.joined(separator: "\n")
    }

    /// Fall recall over every labelled fall, and the share of runs without a fall that raised one.
    static func fallSummary(_ results: [DetectionEvaluator.Result]) -> [String] {
        let withFalls = results.filter { $0.falls > 0 }
        let without = results.filter { $0.falls == 0 }
        guard !results.isEmpty else { return [] }
        var lines = [""]
        if !withFalls.isEmpty {
            let falls = withFalls.reduce(0) { $0 + $1.falls }
            let found = withFalls.reduce(0) { $0 + $1.fallsDetected }
            lines.append(String(format: "falls: %d of %d detected (recall %.1f%%)", found, falls, 100 * Double(found) / Double(falls)))
        }
        if !without.isEmpty {
            let alarmed = without.filter { $0.falseFalls > 0 }.count
            lines.append(String(format: "false falls: %d of %d runs without a fall raised one (%.1f%%)",
                                alarmed, without.count, 100 * Double(alarmed) / Double(without.count)))
        }
        return lines
    }

    public static func json(_ results: [DetectionEvaluator.Result]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(results), as: UTF8.self)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
