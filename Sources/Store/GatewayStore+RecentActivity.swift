import Foundation
import GRDB
import GatewayCore

/// A device's recent stream, from its stored windows.
public struct RecentActivity: Sendable, Equatable {
    public var frames: Int
    /// Seconds the windows span.
    public var seconds: Double
    public var meanRSSI: Double?

    /// Frames per second over the span; 0 when it is empty.
    public var rate: Double { seconds > 0 ? Double(frames) / seconds : 0 }
}

extension GatewayStore {
    /// Events still open (`end` not set), ordered by device and start: what each device is
    /// doing now.
    public func openEvents() throws -> [SensingEvent] {
        let json = EventFeaturesJSON()
        return try read("cannot read open events from") { db in
            try Row.fetchAll(db, sql: """
                SELECT id, device, kind, confidence, start_us, model_version, features FROM events
                WHERE end_us IS NULL ORDER BY device, start_us
                """).map { row in
                var event = SensingEvent(
                    device: DeviceID(row[1] as String), kind: EventKind(rawValue: row[2] as String),
                    confidence: row[3] as Double? ?? .nan, start: row[4], end: nil,
                    modelVersion: row[5], features: try json.decode(row[6] as String))
                event.id = row[0]
                return event
            }
        }
    }

    /// The windows of `device` that start within `seconds` before `until` (Unix microseconds,
    /// normally the device's last frame): frames, span and mean RSSI. Uses the (device, start)
    /// index, so it costs the same however long the table is.
    public func activity(device: DeviceID, until: Int64, seconds: Double) throws -> RecentActivity {
        let since = until - Int64(seconds * 1_000_000)
        return try read("cannot read recent windows from") { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(frames), 0), MIN(start_us), MAX(end_us), AVG(mean_rssi) FROM features
                WHERE device = ? AND start_us >= ?
                """, arguments: [device.rawValue, since])
            let frames: Int = row?[0] ?? 0
            let first: Int64? = row?[1]
            let last: Int64? = row?[2]
            let span = first.flatMap { f in last.map { Double($0 - f) / 1_000_000 } } ?? 0
            return RecentActivity(frames: frames, seconds: span, meanRSSI: row?[3])
        }
    }
}
