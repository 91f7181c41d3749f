import Foundation
import GRDB
import GatewayCore

/// Inserts calibration rows inside a transaction the caller opened, then keeps only the newest
/// `keep` rows of each device written (0 keeps every row).
enum CalibrationWriter {
    static let insert = """
        INSERT INTO calibrations (device, created_us, source, seconds, windows, motion_threshold,
            presence_threshold, gain_step_fraction, warnings, body)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let prune = """
        DELETE FROM calibrations WHERE device = ? AND id NOT IN (
            SELECT id FROM calibrations WHERE device = ? ORDER BY created_us DESC, id DESC LIMIT ?)
        """

    /// Returns the rows' new ids, in order.
    @discardableResult
    static func write(_ records: [CalibrationRecord], keep: Int, db: Database) throws -> [Int64] {
        guard !records.isEmpty else { return [] }
        let statement = try db.cachedStatement(sql: insert)
        var ids: [Int64] = []
        for record in records {
            try statement.execute(arguments: [
                record.device.rawValue, record.created, record.source, record.seconds, record.windows,
                record.motionThreshold, record.presenceThreshold, record.gainStepFraction,
                try CalibrationWarningsJSON.encode(record.warnings), record.body,
            ])
            ids.append(db.lastInsertedRowID)
        }
        if keep > 0 {
            let pruneStatement = try db.cachedStatement(sql: prune)
            for device in Set(records.map(\.device)) {
                try pruneStatement.execute(arguments: [device.rawValue, device.rawValue, keep])
            }
        }
        return ids
    }

    static let columns = """
        id, device, created_us, source, seconds, windows, motion_threshold, presence_threshold,
        gain_step_fraction, warnings, body
        """

    /// A row selected with `columns`. A warnings column that is not a JSON array of strings
    /// becomes one warning holding its text, so listing never fails on it.
    static func record(_ row: Row) -> CalibrationRecord {
        let warningsText = row[9] as String? ?? "[]"
        return CalibrationRecord(
            id: row[0], device: DeviceID(row[1] as String), created: row[2], source: row[3],
            seconds: row[4] as Double? ?? .nan, windows: row[5],
            motionThreshold: row[6] as Double? ?? .nan, presenceThreshold: row[7] as Double? ?? .nan,
            gainStepFraction: row[8] as Double? ?? .nan,
            warnings: (try? CalibrationWarningsJSON.decode(warningsText)) ?? [warningsText], body: row[10])
    }
}
