import Foundation
import GRDB
import GatewayCore

/// Writes one ``StoreBatch`` inside a transaction the caller opened, through cached statements.
enum BatchWriter {
    static let upsertDevice = """
        INSERT INTO devices (id, kind, first_seen_us, last_seen_us, frames) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
            kind = excluded.kind,
            last_seen_us = max(last_seen_us, excluded.last_seen_us),
            frames = frames + excluded.frames
        """
    static let upsertEvent = """
        INSERT INTO events (id, device, kind, confidence, start_us, end_us, model_version, features)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
            confidence = excluded.confidence,
            end_us = excluded.end_us,
            model_version = excluded.model_version,
            features = excluded.features
        """
    static let insertFeatures = """
        INSERT INTO features (device, start_us, end_us, frames, lost_frames,
            mean_rssi, mean_amplitude, motion_score, presence_score, coherence)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let insertRawFrame = "INSERT INTO raw_frames (device, sequence, time_us, bytes) VALUES (?, ?, ?, ?)"

    static func write(_ batch: StoreBatch, options: StoreOptions, db: Database) throws -> WriteResult {
        let rawFramesMaxBytes = options.rawFramesMaxBytes
        var result = WriteResult()
        if !batch.devices.isEmpty {
            let statement = try db.cachedStatement(sql: upsertDevice)
            for activity in batch.devices {
                try statement.execute(arguments: [
                    activity.device.rawValue, activity.kind, activity.lastSeen, activity.lastSeen, activity.frames,
                ])
            }
            result.rowsWritten += batch.devices.count
        }
        if !batch.events.isEmpty {
            let statement = try db.cachedStatement(sql: upsertEvent)
            let json = EventFeaturesJSON()
            for event in batch.events {
                try statement.execute(arguments: [
                    event.id, event.device.rawValue, event.kind.rawValue, event.confidence,
                    event.start, event.end, event.modelVersion, try json.encode(event.features),
                ])
            }
            result.rowsWritten += batch.events.count
        }
        if !batch.telemetry.isEmpty {
            try TelemetryRows.insert(batch.telemetry, db: db)
            result.rowsWritten += batch.telemetry.count
        }
        // The log follows the tables it mirrors in the same transaction: both commit or neither.
        let logged = try LogWriter.append(
            events: batch.events, telemetry: batch.telemetry, energySignatures: batch.energySignatures,
            options: options.log, now: unixMicrosNow(), db: db)
        result.logEntries = logged.entries
        result.checkpointSize = logged.checkpointSize
        if !batch.features.isEmpty {
            let statement = try db.cachedStatement(sql: insertFeatures)
            for window in batch.features {
                try statement.execute(arguments: [
                    window.device.rawValue, window.start, window.end, window.frames, window.lostFrames,
                    window.meanRSSI, window.meanAmplitude, window.motionScore, window.presenceScore, window.coherence,
                ])
            }
            result.rowsWritten += batch.features.count
        }
        if rawFramesMaxBytes > 0, !batch.rawFrames.isEmpty {
            let ring = try writeRawFrames(batch.rawFrames, cap: rawFramesMaxBytes, db: db)
            result.rowsWritten += ring.rowsWritten
            result.rawFramesEvicted += ring.rawFramesEvicted
        }
        if !batch.calibrations.isEmpty {
            try CalibrationWriter.write(batch.calibrations, keep: options.calibrationsKeptPerDevice, db: db)
            result.rowsWritten += batch.calibrations.count
        }
        return result
    }

    /// Appends frames to the ring, then deletes the oldest rows until the total is within `cap`.
    /// Frames of this batch that alone exceed the cap are not inserted (counted as evicted).
    private static func writeRawFrames(_ frames: [RawFrame], cap: Int64, db: Database) throws -> WriteResult {
        var incoming = frames.reduce(Int64(0)) { $0 + Int64($1.bytes.count) }
        var first = frames.startIndex
        while incoming > cap, first < frames.endIndex {
            incoming -= Int64(frames[first].bytes.count)
            first += 1
        }
        let kept = frames[first...]
        let statement = try db.cachedStatement(sql: insertRawFrame)
        for frame in kept {
            try statement.execute(arguments: [
                frame.device.rawValue, Int64(frame.sequence), frame.timestamp, Data(frame.bytes),
            ])
        }
        let evicted = try evictOldest(cap: cap, db: db)
        return WriteResult(rowsWritten: kept.count, rawFramesEvicted: first - frames.startIndex + evicted)
    }

    private static func evictOldest(cap: Int64, db: Database) throws -> Int {
        let total = try Int64.fetchOne(db, cachedSQL: "SELECT bytes FROM raw_frames_usage WHERE id = 1") ?? 0
        guard total > cap else { return 0 }
        var excess = total - cap
        var lastID: Int64?
        var count = 0
        do {
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT id, COALESCE(length(bytes), 0) FROM raw_frames ORDER BY id"))
            while excess > 0, let row = try rows.next() {
                lastID = row[0]
                excess -= row[1] as Int64
                count += 1
            }
        }
        guard let lastID else { return 0 }
        try db.cachedStatement(sql: "DELETE FROM raw_frames WHERE id <= ?").execute(arguments: [lastID])
        return count
    }
}

extension Int64 {
    fileprivate static func fetchOne(_ db: Database, cachedSQL sql: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: sql))
    }
}
