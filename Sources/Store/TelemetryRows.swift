import GRDB
import GatewayCore

/// The `telemetry` table's row format: one typed `value` column plus `value_type`.
enum TelemetryRows {
    static let insertSQL = """
        INSERT INTO telemetry (source, point, time_us, value_type, value, unit, quality)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
    static let columns = "source, point, time_us, value_type, value, unit, quality"

    static func insert(_ samples: [TelemetrySample], db: Database) throws {
        let statement = try db.cachedStatement(sql: insertSQL)
        for sample in samples {
            let (type, value) = encode(sample.value)
            try statement.execute(arguments: [
                sample.source, sample.point, sample.time, type, value, sample.unit, sample.quality.rawValue,
            ])
        }
    }

    static func encode(_ value: TelemetryValue) -> (String, DatabaseValue) {
        switch value {
        case .number(let number): ("number", number.databaseValue)
        case .integer(let integer): ("integer", integer.databaseValue)
        case .boolean(let flag): ("boolean", (flag ? 1 : 0).databaseValue)
        case .text(let text): ("text", text.databaseValue)
        }
    }

    /// A row selected with ``columns``. Unknown types and qualities (a newer gateway's file)
    /// read as text and `uncertain` rather than failing the whole query.
    static func decode(_ row: Row) -> TelemetrySample {
        let type: String = row[3]
        let raw: DatabaseValue = row[4]
        let value: TelemetryValue = switch type {
        case "number": .number(Double.fromDatabaseValue(raw) ?? .nan)
        case "integer": .integer(Int64.fromDatabaseValue(raw) ?? 0)
        case "boolean": .boolean((Int64.fromDatabaseValue(raw) ?? 0) != 0)
        default: .text(String.fromDatabaseValue(raw) ?? raw.description)
        }
        return TelemetrySample(
            source: row[0], point: row[1], value: value, unit: row[5],
            quality: TelemetryQuality(rawValue: row[6]) ?? .uncertain, time: row[2])
    }
}
