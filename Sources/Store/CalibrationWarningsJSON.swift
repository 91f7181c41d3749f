import Foundation

/// The calibrations.warnings column: a JSON array of strings.
enum CalibrationWarningsJSON {
    static func encode(_ warnings: [String]) throws -> String {
        if warnings.isEmpty { return "[]" }
        return String(decoding: try JSONEncoder().encode(warnings), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [String] {
        if text == "[]" { return [] }
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
