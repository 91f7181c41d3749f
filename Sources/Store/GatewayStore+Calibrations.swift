import GRDB
import GatewayCore

extension GatewayStore {
    /// Stores one calibration now, in its own transaction, and returns its row id; the device
    /// then keeps only its newest ``StoreOptions/calibrationsKeptPerDevice`` rows.
    ///
    /// For the command line: the daemon submits ``StoreBatch/calibrations`` through its
    /// `StoreWriter` instead, so the pipeline never waits for the database.
    @discardableResult
    public func saveCalibration(_ record: CalibrationRecord) throws -> Int64 {
        try ensureOpen("cannot write to")
        let keep = options.calibrationsKeptPerDevice
        do {
            let ids = try pool.write { db in try CalibrationWriter.write([record], keep: keep, db: db) }
            return ids.first ?? 0
        } catch {
            throw StoreFailure.wrap(error, "cannot save \(record.label) to", path: path)
        }
    }

    /// The newest calibration of every device that has one, ordered by device.
    public func latestCalibrations() throws -> [CalibrationRecord] {
        let sql = """
            SELECT \(CalibrationWriter.columns) FROM calibrations AS c
            WHERE id = (SELECT id FROM calibrations WHERE device = c.device ORDER BY created_us DESC, id DESC LIMIT 1)
            ORDER BY device
            """
        return try read("cannot read calibrations from") { db in
            try Row.fetchAll(db.cachedStatement(sql: sql)).map(CalibrationWriter.record)
        }
    }

    /// One device's calibrations, newest first.
    public func calibrations(device: DeviceID, limit: Int = 1000) throws -> [CalibrationRecord] {
        let sql = "SELECT \(CalibrationWriter.columns) FROM calibrations WHERE device = ? ORDER BY created_us DESC, id DESC LIMIT ?"
        return try read("cannot read calibrations from") { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [device.rawValue, max(0, limit)])
                .map(CalibrationWriter.record)
        }
    }
}
