import GRDB
import GatewayCore

extension GatewayStore {
    /// Telemetry samples matching `query`, in time order (oldest first even when `newestFirst`
    /// picked the latest ones).
    public func telemetry(_ query: TelemetryQuery = .init()) throws -> [TelemetrySample] {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let since = query.since {
            clauses.append("time_us >= ?")
            arguments += [since]
        }
        if let until = query.until {
            clauses.append("time_us < ?")
            arguments += [until]
        }
        if let source = query.source {
            clauses.append("source = ?")
            arguments += [source]
        }
        if let point = query.point {
            clauses.append("point = ?")
            arguments += [point]
        }
        var sql = "SELECT \(TelemetryRows.columns) FROM telemetry"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += query.newestFirst ? " ORDER BY time_us DESC, id DESC LIMIT ?" : " ORDER BY time_us, id LIMIT ?"
        arguments += [max(0, query.limit)]
        let samples = try read("cannot read telemetry from") { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(TelemetryRows.decode)
        }
        return query.newestFirst ? samples.reversed() : samples
    }

    /// Stored samples per source and point, for summaries.
    public func telemetryPoints() throws -> [(source: String, point: String, samples: Int, last: Int64)] {
        try read("cannot read telemetry from") { db in
            try Row.fetchAll(db, sql: """
                SELECT source, point, COUNT(*), MAX(time_us) FROM telemetry GROUP BY source, point ORDER BY source, point
                """).map { row in (row[0], row[1], row[2], row[3]) }
        }
    }
}
