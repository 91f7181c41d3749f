import Foundation
import GatewayCore

/// Turns one line of a serial instrument into telemetry samples, by regex groups or by
/// delimited fields (see `InstrumentSettings.Parsing`). Not shared between threads: the
/// driver's reader thread owns one.
public struct InstrumentLineParser {
    public let settings: InstrumentSettings
    private let expression: NSRegularExpression?
    private let groups: [String]

    public init(settings: InstrumentSettings) throws {
        try settings.validate()
        self.settings = settings
        if case .regex(let pattern) = settings.parsing {
            expression = try NSRegularExpression(pattern: pattern)
        } else {
            expression = nil
        }
        groups = settings.points.map { $0.group ?? $0.name }
    }

    public enum Outcome: Equatable {
        case samples([TelemetrySample])
        /// Blank, or the echo of the request: not a reading, not an error.
        case ignored
        case malformed(String)
    }

    public func parse(_ line: String, time: Int64) -> Outcome {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .ignored }
        if let request = settings.request, trimmed == request.trimmingCharacters(in: .whitespacesAndNewlines) { return .ignored }
        var samples: [TelemetrySample] = []
        samples.reserveCapacity(settings.points.count)
        switch settings.parsing {
        case .regex:
            guard let expression else { return .malformed("no regex") }
            let range = NSRange(line.startIndex..<line.endIndex, in: line)
            guard let match = expression.firstMatch(in: line, range: range) else {
                return .malformed("line '\(Self.sample(line))' does not match the pattern")
            }
            for (point, group) in zip(settings.points, groups) {
                let groupRange = match.range(withName: group)
                guard groupRange.location != NSNotFound, let textRange = Range(groupRange, in: line) else {
                    return .malformed("line '\(Self.sample(line))' has no value for group '\(group)'")
                }
                guard let value = point.value(of: line[textRange]) else {
                    return .malformed("'\(line[textRange])' in line '\(Self.sample(line))' is not a \(point.type.rawValue) for point '\(point.name)'")
                }
                samples.append(TelemetrySample(source: settings.name, point: point.name, value: value, unit: point.unit, time: time))
            }
        case .delimited(let separator):
            let fields = trimmed.components(separatedBy: separator)
            for point in settings.points {
                let index = (point.field ?? 1) - 1
                guard index < fields.count else {
                    return .malformed("line '\(Self.sample(line))' has \(fields.count) fields; point '\(point.name)' reads field \(index + 1)")
                }
                guard let value = point.value(of: fields[index][...]) else {
                    return .malformed("field \(index + 1) '\(fields[index])' of line '\(Self.sample(line))' is not a \(point.type.rawValue) for point '\(point.name)'")
                }
                samples.append(TelemetrySample(source: settings.name, point: point.name, value: value, unit: point.unit, time: time))
            }
        }
        return .samples(samples)
    }

    /// At most 40 characters of a line, control characters shown as '?', for error messages.
    static func sample(_ line: String) -> String {
        let cleaned = String(line.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "?" : Character($0) })
        return cleaned.count <= 40 ? cleaned : String(cleaned.prefix(40)) + "..."
    }
}
