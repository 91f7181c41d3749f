import Foundation
import GatewayCore

/// How telemetry samples look on the command line: JSON lines for tools, a table for people,
/// CSV for spreadsheets.
public enum TelemetryFormatting {
    /// One JSON object: source, point, value (number, integer, boolean or string), type, unit,
    /// quality, time (ISO 8601 UTC) and time_us.
    public static func jsonLine(_ sample: TelemetrySample) -> String {
        let object: [String: Any] = [
            "source": sample.source, "point": sample.point, "value": jsonValue(sample.value),
            "type": typeName(sample.value), "unit": sample.unit, "quality": sample.quality.rawValue,
            "time": EventFormatting.iso8601(sample.time), "time_us": sample.time,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]),
              let text = String(data: data, encoding: .utf8)
        else { return "{}" }
        return text
    }

    public static let tableHeader = "TIME                          SOURCE           POINT                    VALUE            UNIT     QUALITY"

    public static func tableRow(_ sample: TelemetrySample) -> String {
        pad(EventFormatting.iso8601(sample.time), 30) + pad(sample.source, 17) + pad(sample.point, 25)
            + pad(text(sample.value), 17) + pad(sample.unit, 9) + sample.quality.rawValue
    }

    public static let csvHeader = "time_us,source,point,value,type,unit,quality"

    public static func csvRow(_ sample: TelemetrySample) -> String {
        [String(sample.time), csvField(sample.source), csvField(sample.point), csvField(text(sample.value)),
         typeName(sample.value), csvField(sample.unit), sample.quality.rawValue].joined(separator: ",")
    }

    /// The value as people read it: numbers without trailing noise, booleans as true/false.
    public static func text(_ value: TelemetryValue) -> String {
        switch value {
        case .number(let number): number.isFinite ? String(number) : "\(number)"
        case .integer(let integer): String(integer)
        case .boolean(let flag): flag ? "true" : "false"
        case .text(let string): string
        }
    }

    static func typeName(_ value: TelemetryValue) -> String {
        switch value {
        case .number: "number"
        case .integer: "integer"
        case .boolean: "boolean"
        case .text: "text"
        }
    }

    private static func jsonValue(_ value: TelemetryValue) -> Any {
        switch value {
        // JSON has no NaN or infinity: those become null.
        case .number(let number): number.isFinite ? number as Any : NSNull()
        case .integer(let integer): integer
        case .boolean(let flag): flag
        case .text(let string): string
        }
    }

    private static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func pad(_ string: String, _ width: Int) -> String {
        string.count >= width ? string + " " : string + String(repeating: " ", count: width - string.count)
    }
}
