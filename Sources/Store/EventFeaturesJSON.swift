import Foundation
import GatewayCore

/// The events.features column: a JSON array of {"name", "value"} objects in the event's order.
/// Non-finite values are written as the strings "NaN", "Infinity" and "-Infinity".
struct EventFeaturesJSON {
    private let encoder: JSONEncoder
    private let decoder: JSONDecoder

    init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    }

    func encode(_ features: [NamedValue]) throws -> String {
        if features.isEmpty { return "[]" }
        return String(decoding: try encoder.encode(features), as: UTF8.self)
    }

    func decode(_ text: String) throws -> [NamedValue] {
        if text == "[]" { return [] }
        return try decoder.decode([NamedValue].self, from: Data(text.utf8))
    }
}
