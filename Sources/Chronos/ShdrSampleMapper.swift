import GatewayCore

/// Turns parsed SHDR observations into telemetry samples of one source, as configured:
///
/// - sample: a number times `scale` (`.number`); text that is not a number stays `.text`.
/// - event: a whole number stays `.integer` (scaled `.number` when `scale` is not 1), other
///   text `.text`; a reset trigger is dropped from the value (the counter restarts there).
/// - condition: `.text` of the level, then " native_code: message" when there is one
///   ("FAULT E042: spindle overload"); quality `.uncertain` when the level is UNAVAILABLE.
/// - message: `.text` "native_code: text" (or just the text).
/// - time series: one `.number` sample per value; the line's time stamp is taken as the first
///   value's time and the next ones follow at 1/rate (1 µs apart when the rate is empty, so
///   each sample keeps its own time).
/// - UNAVAILABLE: the point with quality `.uncertain` and an empty `.text` value.
///
/// Keys with no mapping are counted in `unmapped`; with `passUnmapped` they become samples
/// named by the key (a number when they parse as one, else text).
public struct ShdrSampleMapper: Sendable {
    public let source: String
    public let passUnmapped: Bool
    private let mappings: [String: ShdrItemMapping]
    /// Observations of keys with no mapping, by key (at most `maxUnmappedKeys` keys are named;
    /// the rest are counted under "*").
    public private(set) var unmapped: [String: UInt64] = [:]
    public static let maxUnmappedKeys = 256
    /// All observations of unmapped keys.
    public private(set) var unmappedObservations: UInt64 = 0

    public init(source: String, mappings: [ShdrItemMapping], passUnmapped: Bool) {
        self.source = source
        self.passUnmapped = passUnmapped
        var table: [String: ShdrItemMapping] = [:]
        for mapping in mappings { table[mapping.key] = mapping }
        self.mappings = table
    }

    public func mapping(for key: String) -> ShdrItemMapping? {
        if let mapping = mappings[key] { return mapping }
        if let colon = key.utf8.lastIndex(of: UInt8(ascii: ":")) {
            return mappings[String(key[key.index(after: colon)...])]
        }
        return nil
    }

    public mutating func samples(from line: ShdrDataLine, into out: inout [TelemetrySample]) {
        for observation in line.observations {
            if let mapping = mapping(for: observation.key) {
                append(observation, mapping: mapping, time: line.time, into: &out)
            } else {
                let key = unmapped[observation.key] != nil || unmapped.count < Self.maxUnmappedKeys ? observation.key : "*"
                unmapped[key, default: 0] += 1
                unmappedObservations += 1
                if passUnmapped {
                    append(observation, mapping: ShdrItemMapping(key: observation.key, kind: observation.kind), time: line.time,
                           into: &out, textFallback: true)
                }
            }
        }
    }

    private func append(_ observation: ShdrObservation, mapping: ShdrItemMapping, time: Int64,
                        into out: inout [TelemetrySample], textFallback: Bool = false) {
        func sample(_ value: TelemetryValue, _ quality: TelemetryQuality = .good, at t: Int64? = nil) {
            out.append(TelemetrySample(source: source, point: mapping.point, value: value, unit: mapping.unit, quality: quality, time: t ?? time))
        }
        switch observation.value {
        case .unavailable:
            sample(.text(""), .uncertain)
        case .value(let text, _):
            switch mapping.kind {
            case .event where !textFallback:
                if let whole = Int64(text) {
                    sample(mapping.scale == 1 ? .integer(whole) : .number(Double(whole) * mapping.scale))
                } else {
                    sample(.text(text))
                }
            default:
                if let number = Double(text), number.isFinite {
                    sample(.number(number * mapping.scale))
                } else {
                    sample(.text(text))
                }
            }
        case .condition(let level, let code, _, _, let message):
            var text = level.rawValue
            if !code.isEmpty || !message.isEmpty {
                text += " " + (code.isEmpty ? message : message.isEmpty ? code : "\(code): \(message)")
            }
            sample(.text(text), level == .unavailable ? .uncertain : .good)
        case .message(let code, let text):
            sample(.text(code.isEmpty ? text : "\(code): \(text)"))
        case .timeSeries(let rate, let values):
            let step: Int64 = rate.map { max(1, Int64((1_000_000 / $0).rounded())) } ?? 1
            for (i, value) in values.enumerated() {
                sample(.number(value * mapping.scale), at: time + Int64(i) * step)
            }
        }
    }
}
