import Foundation
import GatewayCore
import Ingest

/// Walks a parsed YAML mapping section by section, remembering which keys were read so that
/// anything left over (a typo, a key from another version) stops start-up with its name.
struct ConfigReader {
    private let root: [String: Any]
    private let source: String
    private let environment: [String: String]
    private let prefix: String
    private var knownSections: [String] = []

    init(root: [String: Any], source: String, environment: [String: String], prefix: String) {
        self.root = root
        self.source = source
        self.environment = environment
        self.prefix = prefix
    }

    mutating func section(_ name: String, _ body: (inout SectionReader) throws -> Void) throws {
        knownSections.append(name)
        let values: [String: Any]
        switch root[name] {
        case nil, is NSNull: values = [:]
        case let mapping as [String: Any]: values = mapping
        default:
            throw GatewayError(.invalidConfig, "\(source): '\(name)' must be a mapping of keys, like '\(name):' followed by indented 'key: value' lines")
        }
        var reader = SectionReader(section: name, values: values, source: source, environment: environment, prefix: prefix)
        try body(&reader)
        try reader.rejectUnknownKeys()
    }

    /// A top-level list of mappings (for example `serial:` with one entry per port). Items are
    /// named `section[i]` in errors; environment variables do not override list items.
    mutating func list(_ name: String, _ body: (inout SectionReader) throws -> Void) throws {
        knownSections.append(name)
        let items: [Any]
        switch root[name] {
        case nil, is NSNull: items = []
        case let list as [Any]: items = list
        default:
            throw GatewayError(.invalidConfig, "\(source): '\(name)' must be a list, each item starting with '- ' on its own line")
        }
        for (index, item) in items.enumerated() {
            guard let mapping = item as? [String: Any] else {
                throw GatewayError(.invalidConfig, "\(source): \(name)[\(index)] must be a mapping of keys, like '- path: /dev/ttyUSB0'")
            }
            var reader = SectionReader(section: "\(name)[\(index)]", values: mapping, source: source, environment: [:], prefix: prefix)
            try body(&reader)
            try reader.rejectUnknownKeys()
        }
    }

    func rejectUnknownSections() throws {
        for key in root.keys.sorted() where !knownSections.contains(key) {
            throw GatewayError(.invalidConfig, "\(source): unknown section '\(key)'\(suggestion(for: key, among: knownSections)); known sections: \(knownSections.joined(separator: ", "))")
        }
    }
}

struct SectionReader {
    let section: String
    let values: [String: Any]
    let source: String
    let environment: [String: String]
    let prefix: String
    /// Keys read so far (internal so that extensions reading nested lists can mark theirs).
    var known: [String] = []

    init(section: String, values: [String: Any], source: String, environment: [String: String], prefix: String) {
        self.section = section
        self.values = values
        self.source = source
        self.environment = environment
        self.prefix = prefix
    }

    /// The raw value for `key`: environment first, then the file. Strings from the environment
    /// are parsed by the typed getters.
    private mutating func raw(_ key: String) -> (value: Any, origin: String)? {
        known.append(key)
        let variable = prefix + (section + "_" + key).uppercased()
        if let text = environment[variable] { return (text, "environment variable \(variable)") }
        if let value = values[key], !(value is NSNull) { return (value, "\(source): \(section).\(key)") }
        return nil
    }

    private func fail(_ origin: String, _ problem: String) -> GatewayError {
        GatewayError(.invalidConfig, "\(origin) \(problem)")
    }

    mutating func string(_ key: String, default value: String, pattern: String? = nil, hint: String = "") throws -> String {
        guard let (raw, origin) = raw(key) else { return value }
        let text: String
        switch raw {
        case let s as String: text = s
        case let n as Int: text = String(n)
        default: throw fail(origin, "must be a string")
        }
        if let pattern, text.range(of: pattern, options: .regularExpression) == nil {
            throw fail(origin, "'\(text)' is not allowed; \(hint)")
        }
        return text
    }

    mutating func int(_ key: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let (raw, origin) = raw(key) else { return value }
        let number: Int?
        switch raw {
        case let n as Int: number = n
        case let s as String: number = Int(s.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number else { throw fail(origin, "must be a whole number between \(range.lowerBound) and \(range.upperBound), got '\(raw)'") }
        guard range.contains(number) else {
            throw fail(origin, "is \(number); use a value between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    mutating func double(_ key: String, default value: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let (raw, origin) = raw(key) else { return value }
        let number: Double?
        switch raw {
        case let n as Double: number = n
        case let n as Int: number = Double(n)
        case let s as String: number = Double(s.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number, number.isFinite else { throw fail(origin, "must be a number between \(range.lowerBound) and \(range.upperBound), got '\(raw)'") }
        guard range.contains(number) else {
            throw fail(origin, "is \(number); use a value between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    /// A number that has no default: nil when neither the file nor the environment sets `key`.
    mutating func optionalDouble(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard has(key) else {
            known.append(key)
            return nil
        }
        return try double(key, default: range.lowerBound, in: range)
    }

    /// A string that has no default: nil when neither the file nor the environment sets `key`
    /// (or sets it empty).
    mutating func optionalString(_ key: String) throws -> String? {
        guard has(key) else {
            known.append(key)
            return nil
        }
        let text = try string(key, default: "")
        return text.isEmpty ? nil : text
    }

    /// A YAML list of strings, or in the environment a comma-separated list.
    mutating func stringList(_ key: String, default value: [String], allowEmpty: Bool = false) throws -> [String] {
        guard let (raw, origin) = raw(key) else { return value }
        let items: [String]
        switch raw {
        case let text as String: items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case let list as [Any]:
            items = try list.map { item in
                guard let text = item as? String else { throw fail(origin, "must be a list of strings, got '\(item)'") }
                return text
            }
        default: throw fail(origin, "must be a list of strings, like [csi/#]")
        }
        guard allowEmpty || !items.isEmpty, items.allSatisfy({ !$0.isEmpty }) else { throw fail(origin, "must name at least one non-empty entry") }
        return items
    }

    /// A YAML mapping of strings to strings, or in the environment "a=b,c=d".
    mutating func stringMap(_ key: String) throws -> [String: String] {
        guard let (raw, origin) = raw(key) else { return [:] }
        var map: [String: String] = [:]
        switch raw {
        case let text as String:
            for item in text.split(separator: ",") {
                let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty else { throw fail(origin, "must be a list of id=name pairs, like aa:bb:cc:dd:ee:ff=kitchen") }
                map[parts[0]] = parts[1]
            }
        case let mapping as [String: Any]:
            for (id, value) in mapping {
                guard let name = value as? String else { throw fail(origin, "maps '\(id)' to '\(value)', which is not a string") }
                map[id] = name
            }
        default: throw fail(origin, "must be a mapping of device ids to names, like {\"aa:bb:cc:dd:ee:ff\": kitchen}")
        }
        return map
    }

    /// The source's `device_names` and `device_prefix` keys.
    mutating func deviceNames() throws -> DeviceNames {
        let pattern = "^[A-Za-z0-9._:/@-]{1,64}$"
        let hint = "use 1-64 letters, digits, '.', '_', ':', '/', '@' or '-'"
        let names = try stringMap("device_names")
        for (id, name) in names where name.range(of: pattern, options: .regularExpression) == nil {
            throw GatewayError(.invalidConfig, "\(source): \(section).device_names maps '\(id)' to '\(name)', which is not allowed; \(hint)")
        }
        let prefix = try string("device_prefix", default: "", pattern: "^[A-Za-z0-9._:/@-]{0,32}$", hint: "use at most 32 letters, digits, '.', '_', ':', '/', '@' or '-'")
        return DeviceNames(names: names, prefix: prefix)
    }

    mutating func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let (raw, origin) = raw(key) else { return value }
        switch raw {
        case let b as Bool: return b
        case let s as String:
            switch s.lowercased() {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: break
            }
        default: break
        }
        throw fail(origin, "must be true or false, got '\(raw)'")
    }

    /// A nested list of mappings under `key` (for example a Modbus device's `points:`); items
    /// are named `section.key[i]` in errors and must not have unknown keys. Missing: no items.
    mutating func list(_ key: String, _ body: (inout SectionReader) throws -> Void) throws {
        known.append(key)
        guard let value = values[key], !(value is NSNull) else { return }
        guard let items = value as? [Any] else {
            throw fail("\(source): \(section).\(key)", "must be a list, each item starting with '- ' on its own line")
        }
        for (index, item) in items.enumerated() {
            guard let mapping = item as? [String: Any] else {
                throw fail("\(source): \(section).\(key)[\(index)]", "must be a mapping of keys, like '- {name: x, ...}'")
            }
            var reader = SectionReader(section: "\(section).\(key)[\(index)]", values: mapping, source: source, environment: [:], prefix: prefix)
            try body(&reader)
            try reader.rejectUnknownKeys()
        }
    }

    /// Whether the file (or environment) sets `key`, without marking it read.
    func has(_ key: String) -> Bool {
        if let value = values[key], !(value is NSNull) { return true }
        return environment[prefix + (section + "_" + key).uppercased()] != nil
    }

    func rejectUnknownKeys() throws {
        for key in values.keys.sorted() where !known.contains(key) {
            throw GatewayError(.invalidConfig, "\(source): unknown key '\(section).\(key)'\(suggestion(for: key, among: known)); keys in '\(section)': \(known.joined(separator: ", "))")
        }
    }
}

/// ", did you mean 'x'?" for a key within edit distance 2 of a known one.
func suggestion(for key: String, among known: [String]) -> String {
    let best = known.map { ($0, editDistance(key, $0)) }.min { $0.1 < $1.1 }
    guard let (name, distance) = best, distance <= 2 else { return "" }
    return ", did you mean '\(name)'?"
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
