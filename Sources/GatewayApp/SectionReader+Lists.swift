import Foundation
import GatewayCore

extension SectionReader {
    /// A list of mappings nested under `key` (an SHDR adapter's `items`, an instrument's
    /// `points`). Each item is read by `body` with its own reader named `section.key[i]` in
    /// errors, and its unknown keys are rejected. Environment variables do not reach into lists.
    mutating func nestedList(_ key: String, _ body: (inout SectionReader) throws -> Void) throws {
        known.append(key)
        let items: [Any]
        switch values[key] {
        case nil, is NSNull: return
        case let list as [Any]: items = list
        default:
            throw GatewayError(.invalidConfig, "\(source): \(section).\(key) must be a list, each item starting with '- ' on its own line (or [{...}, {...}])")
        }
        for (index, item) in items.enumerated() {
            let name = "\(section).\(key)[\(index)]"
            guard let mapping = item as? [String: Any] else {
                throw GatewayError(.invalidConfig, "\(source): \(name) must be a mapping of keys, like '- {key: value, ...}'")
            }
            var reader = SectionReader(section: name, values: mapping, source: source, environment: [:], prefix: prefix)
            try body(&reader)
            try reader.rejectUnknownKeys()
        }
    }

    /// True when `key` is present in the file (for keys that pick between alternatives).
    func has(_ key: String) -> Bool {
        if let value = values[key], !(value is NSNull) { return true }
        return false
    }
}
