import Foundation
import GRDB
import GatewayCore

extension GatewayStore {
    /// Events matching `query`, ordered by start then id.
    public func events(_ query: EventQuery = .init()) throws -> [SensingEvent] {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let since = query.since {
            clauses.append("start_us >= ?")
            arguments += [since]
        }
        if let kind = query.kind {
            clauses.append("kind = ?")
            arguments += [kind.rawValue]
        }
        if let device = query.device {
            clauses.append("device = ?")
            arguments += [device.rawValue]
        }
        var sql = "SELECT id, device, kind, confidence, start_us, end_us, model_version, features FROM events"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY start_us, id LIMIT ?"
        arguments += [max(0, query.limit)]
        let json = EventFeaturesJSON()
        return try read("cannot read events from") { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
                var event = SensingEvent(
                    device: DeviceID(row[1] as String), kind: EventKind(rawValue: row[2] as String),
                    confidence: row[3] as Double? ?? .nan, start: row[4], end: row[5],
                    modelVersion: row[6], features: try json.decode(row[7] as String))
                event.id = row[0]
                return event
            }
        }
    }

    /// Window features, ordered by start, optionally of one device.
    public func features(device: DeviceID? = nil, limit: Int = 100_000) throws -> [WindowFeatures] {
        var sql = """
            SELECT device, start_us, end_us, frames, lost_frames,
                mean_rssi, mean_amplitude, motion_score, presence_score, coherence FROM features
            """
        var arguments = StatementArguments()
        if let device {
            sql += " WHERE device = ?"
            arguments += [device.rawValue]
        }
        sql += " ORDER BY start_us, id LIMIT ?"
        arguments += [max(0, limit)]
        return try read("cannot read features from") { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
                WindowFeatures(
                    device: DeviceID(row[0] as String), start: row[1], end: row[2],
                    frames: row[3], lostFrames: row[4],
                    meanRSSI: row[5] as Double? ?? .nan, meanAmplitude: row[6] as Double? ?? .nan,
                    motionScore: row[7] as Double? ?? .nan, presenceScore: row[8] as Double? ?? .nan,
                    coherence: row[9] as Double? ?? 0)
            }
        }
    }

    /// Every known device, ordered by id.
    public func devices() throws -> [StoredDevice] {
        try read("cannot read devices from") { db in
            try Row.fetchAll(db, sql: "SELECT id, first_seen_us, last_seen_us, frames, kind FROM devices ORDER BY id")
                .map { row in
                    StoredDevice(
                        device: DeviceID(row[0] as String), firstSeen: row[1], lastSeen: row[2],
                        frames: row[3], kind: row[4])
                }
        }
    }

    /// Stored raw frames, oldest first, optionally of one device.
    public func rawFrames(device: DeviceID? = nil, limit: Int = 100_000) throws -> [RawFrame] {
        var sql = "SELECT device, sequence, time_us, bytes FROM raw_frames"
        var arguments = StatementArguments()
        if let device {
            sql += " WHERE device = ?"
            arguments += [device.rawValue]
        }
        sql += " ORDER BY id LIMIT ?"
        arguments += [max(0, limit)]
        return try read("cannot read raw frames from") { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
                let bytes = row[3] as Data? ?? Data()
                return RawFrame(
                    device: DeviceID(row[0] as String), sequence: UInt32(truncatingIfNeeded: row[1] as Int64),
                    timestamp: row[2], bytes: [UInt8](bytes))
            }
        }
    }

    /// Row counts, raw frame bytes and the size of the database and WAL files.
    public func statistics() throws -> StoreStatistics {
        var statistics = try read("cannot read statistics of") { db in
            let usage = try Row.fetchOne(db, sql: "SELECT rows, bytes FROM raw_frames_usage WHERE id = 1")
            return StoreStatistics(
                events: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0,
                features: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM features") ?? 0,
                devices: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM devices") ?? 0,
                rawFrames: usage?[0] ?? 0,
                rawFrameBytes: usage?[1] ?? 0,
                fileBytes: 0)
        }
        statistics.fileBytes = Self.fileSize(path) + Self.fileSize(path + "-wal")
        return statistics
    }

    static func fileSize(_ path: String) -> Int64 {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber
        else { return 0 }
        return size.int64Value
    }
}
