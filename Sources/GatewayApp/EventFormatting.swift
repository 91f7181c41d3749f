import Foundation
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

    public static func iso8601(_ micros: Int64) -> String {
        let seconds = Double(micros) / 1_000_000
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
