/// Parses SHDR lines, the pipe-delimited protocol MTConnect adapters serve on TCP port 7878:
///
/// - Data: `timestamp|key|value|key|value...`; the time stamp is ISO 8601 (fraction and `Z`
///   optional), `timestamp@duration` for statistics, or empty for "now" (the receive time).
///   Values may be quoted (`"a \| b"`), `UNAVAILABLE`, or a counter with a reset trigger
///   (`0:DAY`, `12:MANUAL`).
/// - Keys configured as other kinds take more fields: conditions
///   `key|level|native_code|native_severity|qualifier|message` (level NORMAL, WARNING, FAULT or
///   UNAVAILABLE; missing trailing fields at the end of a line are empty), messages
///   `key|native_code|text`, time series `key|count|rate|v1 v2 ...`.
/// - Commands `* key: value`, and the heartbeat reply `* PONG <ms>`.
///
/// The parser is a pure value: no I/O, no clock. It walks each line once and allocates only the
/// strings it returns (keys, text values) and the observation array.
public struct ShdrLineParser: Sendable {
    /// Keys whose kind is not a plain sample/event. Looked up with the "device:" prefix first,
    /// then without it.
    public var kinds: [String: ShdrItemKind]

    public init(kinds: [String: ShdrItemKind] = [:]) {
        self.kinds = kinds
    }

    public init(mappings: [ShdrItemMapping]) {
        var kinds: [String: ShdrItemKind] = [:]
        for mapping in mappings { kinds[mapping.key] = mapping.kind }
        self.kinds = kinds
    }

    /// The configured kind of `key`, or nil (parsed as a one-field sample/event).
    public func configuredKind(of key: String) -> ShdrItemKind? {
        if let kind = kinds[key] { return kind }
        if let colon = key.utf8.lastIndex(of: UInt8(ascii: ":")) {
            return kinds[String(key[key.index(after: colon)...])]
        }
        return nil
    }

    public func parse(_ line: String, receivedAt: Int64) -> ShdrLine {
        parse(line[...], receivedAt: receivedAt)
    }

    public func parse(_ line: Substring, receivedAt: Int64) -> ShdrLine {
        guard let first = line.utf8.first else { return .empty }
        if first == UInt8(ascii: "*") { return Self.command(line) }
        var scanner = ShdrFieldScanner(line)
        guard let stampField = scanner.next() else { return .empty }
        var data: ShdrDataLine
        if stampField.isEmpty {
            data = ShdrDataLine(time: receivedAt, timeFromAdapter: false)
        } else if let stamp = ShdrTimestamp.parse(stampField) {
            data = ShdrDataLine(time: stamp.micros, timeFromAdapter: true, durationSeconds: stamp.durationSeconds)
        } else {
            if scanner.isAtEnd, stampField.allSatisfy({ $0 == " " || $0 == "\t" }) { return .empty }
            return .malformed(reason: "time stamp '\(Self.sample(stampField))' is not ISO 8601 (like 2024-05-01T12:00:00.123Z) or empty")
        }
        guard !scanner.isAtEnd else {
            return .malformed(reason: "no key after the time stamp")
        }
        data.observations.reserveCapacity(4)
        while let keyField = scanner.next() {
            if keyField.isEmpty {
                if scanner.isAtEnd { break }  // a trailing '|'
                data.problem = "empty key"
                break
            }
            let key = String(keyField)
            if key.hasPrefix("@") {
                // @ASSET@, @REMOVE_ASSET@, ...: assets are not telemetry; the rest of the line is
                // theirs. A multi-line asset's body follows up to its marker line.
                var last: Substring?
                while let field = scanner.next() { last = field }
                if key == "@ASSET@", let last, last.hasPrefix("--multiline--") { data.multilineEnd = String(last) }
                break
            }
            let kind = configuredKind(of: key)
            let result = Self.observation(key: key, kind: kind ?? .sample, scanner: &scanner)
            switch result {
            case .success(var observation):
                observation.configured = kind != nil
                data.observations.append(observation)
            case .failure(let problem):
                data.problem = problem.text
            }
            if data.problem != nil { break }
        }
        if data.observations.isEmpty, let problem = data.problem { return .malformed(reason: problem) }
        return .data(data)
    }

    struct Problem: Error { var text: String }

    private static func observation(key: String, kind: ShdrItemKind, scanner: inout ShdrFieldScanner) -> Result<ShdrObservation, Problem> {
        switch kind {
        case .sample, .event:
            guard let field = scanner.next() else { return .failure(Problem(text: "key '\(key)' has no value")) }
            return .success(ShdrObservation(key: key, kind: kind, value: value(field)))
        case .message:
            guard let code = scanner.next() else { return .failure(Problem(text: "message '\(key)' has no native code and text")) }
            let text = scanner.next().map(ShdrFieldScanner.unquote) ?? ""
            if text == "UNAVAILABLE" || (code == "UNAVAILABLE" && text.isEmpty) { return .success(ShdrObservation(key: key, kind: kind, value: .unavailable)) }
            return .success(ShdrObservation(key: key, kind: kind, value: .message(nativeCode: String(code), text: text)))
        case .condition:
            guard let levelField = scanner.next() else { return .failure(Problem(text: "condition '\(key)' has no level")) }
            guard let level = conditionLevel(levelField) else {
                return .failure(Problem(text: "condition '\(key)' has level '\(sample(levelField))'; expected NORMAL, WARNING, FAULT or UNAVAILABLE"))
            }
            let code = scanner.next().map(String.init) ?? ""
            let severity = scanner.next().map(String.init) ?? ""
            let qualifier = scanner.next().map(String.init) ?? ""
            let message = scanner.next().map(ShdrFieldScanner.unquote) ?? ""
            return .success(ShdrObservation(key: key, kind: kind, value: .condition(
                level: level, nativeCode: code, nativeSeverity: severity, qualifier: qualifier, message: message)))
        case .timeSeries:
            guard let countField = scanner.next() else { return .failure(Problem(text: "time series '\(key)' has no count")) }
            if countField == "UNAVAILABLE" {
                _ = scanner.next(); _ = scanner.next()
                return .success(ShdrObservation(key: key, kind: kind, value: .unavailable))
            }
            guard let count = Int(countField), count >= 0 else {
                return .failure(Problem(text: "time series '\(key)' has count '\(sample(countField))', not a whole number"))
            }
            guard let rateField = scanner.next(), let valuesField = scanner.next() else {
                return .failure(Problem(text: "time series '\(key)' needs count|rate|values"))
            }
            var rate: Double?
            if !rateField.isEmpty {
                guard let r = Double(rateField), r.isFinite, r > 0 else {
                    return .failure(Problem(text: "time series '\(key)' has rate '\(sample(rateField))', not a positive number"))
                }
                rate = r
            }
            if valuesField == "UNAVAILABLE" { return .success(ShdrObservation(key: key, kind: kind, value: .unavailable)) }
            var values: [Double] = []
            values.reserveCapacity(count)
            for token in valuesField.split(separator: " ", omittingEmptySubsequences: true) {
                guard let v = Double(token), v.isFinite else {
                    return .failure(Problem(text: "time series '\(key)' has value '\(sample(token))', not a number"))
                }
                values.append(v)
            }
            guard values.count == count else {
                return .failure(Problem(text: "time series '\(key)' announces \(count) values but has \(values.count)"))
            }
            return .success(ShdrObservation(key: key, kind: kind, value: .timeSeries(rateHertz: rate, values: values)))
        }
    }

    /// A sample/event value: UNAVAILABLE, `number:TRIGGER`, or text (unquoted).
    static func value(_ field: Substring) -> ShdrValue {
        if field == "UNAVAILABLE" { return .unavailable }
        if let colon = field.utf8.lastIndex(of: UInt8(ascii: ":")) {
            let head = field[..<colon]
            let trigger = field[field.index(after: colon)...]
            if !trigger.isEmpty, trigger.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || $0 == 95 }),
               head.isEmpty || Double(head) != nil {
                return .value(String(head), resetTrigger: String(trigger))
            }
        }
        return .value(ShdrFieldScanner.unquote(field), resetTrigger: nil)
    }

    static func conditionLevel(_ field: Substring) -> ShdrConditionLevel? {
        if let level = ShdrConditionLevel(rawValue: String(field)) { return level }
        return ShdrConditionLevel(rawValue: field.uppercased())
    }

    /// `* PONG 10000`, `* PING`, `* key: value`.
    static func command(_ line: Substring) -> ShdrLine {
        let body = line.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        if body.hasPrefix("PONG") {
            let rest = body.dropFirst(4).trimmingSpaces()
            guard let millis = Int(rest), millis > 0 else {
                return .malformed(reason: "heartbeat reply '\(sample(line))' has no interval; expected '* PONG <milliseconds>'")
            }
            return .pong(intervalMillis: millis)
        }
        if body.trimmingSpaces() == "PING" { return .ping }
        guard let colon = body.firstIndex(of: ":") else {
            return .malformed(reason: "command '\(sample(line))' is not '* key: value'")
        }
        let key = body[..<colon].trimmingSpaces()
        guard !key.isEmpty else { return .malformed(reason: "command '\(sample(line))' has an empty key") }
        return .command(key: String(key), value: String(body[body.index(after: colon)...].trimmingSpaces()))
    }

    /// At most 60 characters of `text`, for error messages.
    static func sample(_ text: Substring) -> String {
        text.count <= 60 ? String(text) : String(text.prefix(60)) + "..."
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
        return s
    }
}
