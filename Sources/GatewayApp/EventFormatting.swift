import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GatewayCore

/// How events look on the command line: JSON lines for tools, a table for people.
public enum EventFormatting {
    /// One JSON object: kind, device, start, end (ISO 8601 UTC, null while open), start_us,
    /// end_us, confidence, id, model_version, features.
    public static func jsonLine(_ event: SensingEvent) -> String {
        var object: [String: Any] = [
            "id": event.id, "kind": event.kind.rawValue, "device": event.device.rawValue,
            "start": iso8601(event.start), "start_us": event.start,
            "end": event.end.map { iso8601($0) as Any } ?? NSNull(),
            "end_us": event.end.map { $0 as Any } ?? NSNull(),
            "confidence": (event.confidence * 1000).rounded() / 1000,
            "model_version": event.modelVersion,
        ]
        var features: [String: Double] = [:]
        for feature in event.features { features[feature.name] = feature.value }
        object["features"] = features
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
              let text = String(data: data, encoding: .utf8)
        else { return "{}" }
        return text
    }

    public static let tableHeader = "KIND       DEVICE           START                         END                           CONF"

    public static func tableRow(_ event: SensingEvent) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        return pad(event.kind.rawValue, 11) + pad(event.device.rawValue, 17) + pad(iso8601(event.start), 30)
            + pad(event.end.map(iso8601) ?? "(open)", 30) + String(format: "%.2f", event.confidence)
    }

    /// `2026-01-17T22:26:08.098Z`: UTC, to the nearest millisecond. Formatted by hand: the API
    /// and the CLI print two per event, and an `ISO8601DateFormatter` per call cost more than
    /// the rest of the row.
    public static func iso8601(_ micros: Int64) -> String {
        // Rounded to the nearest millisecond, as Foundation's formatter does.
        let (totalMillis, belowMillis) = (micros + 500).quotientAndRemainder(dividingBy: 1000)
        let roundedMillis = belowMillis < 0 ? totalMillis - 1 : totalMillis
        let (seconds, remainder) = roundedMillis.quotientAndRemainder(dividingBy: 1000)
        let whole = remainder < 0 ? seconds - 1 : seconds
        let millis = Int(remainder < 0 ? remainder + 1000 : remainder)
        var time = time_t(whole)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return String(micros) }
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "." + pad(Int32(millis), 3) + "Z"
    }
}
