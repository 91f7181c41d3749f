import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore
import Store

struct TelemetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry",
        abstract: "List stored machine telemetry (Modbus points, SHDR items, serial instruments).",
        discussion: """
            Samples are printed oldest first. With --last N the newest N matching samples are
            shown; --summary prints one line per source and point instead.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @Option(help: "Gateway database file.")
    var db: String

    @Option(help: "Output format: table, json (one object per line) or csv.")
    var format: Format = .table

    @Option(help: "Only this source (machine name from the config).")
    var source: String?

    @Option(help: "Only this point.")
    var point: String?

    @Option(help: "Only samples at or after this time: Unix seconds, or ISO 8601 (2026-11-22T08:00:00Z).")
    var since: String?

    @Option(help: "At most this many samples (the earliest).")
    var limit: Int = 10_000

    @Option(help: "The newest N samples instead of the earliest.")
    var last: Int?

    @Flag(help: "One line per source and point: sample count and the last sample's time.")
    var summary = false

    func validate() throws {
        try ExistingDatabase.require(db)
        if let since, Self.parseTime(since) == nil {
            throw ValidationError("--since \(since) is not a time; use Unix seconds (1763798400) or ISO 8601 (2026-11-22T08:00:00Z)")
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let last, last < 1 { throw ValidationError("--last must be at least 1") }
    }

    func run() throws {
        let store = try GatewayStore(path: db)
        defer { try? store.close() }
        if summary {
            for row in try store.telemetryPoints() {
                print("\(row.source)\t\(row.point)\t\(row.samples) sample(s)\tlast \(EventFormatting.iso8601(row.last))")
            }
            return
        }
        let query = TelemetryQuery(
            since: since.flatMap(Self.parseTime), source: source, point: point,
            limit: last ?? limit, newestFirst: last != nil)
        let samples = try store.telemetry(query)
        switch format {
        case .json:
            for sample in samples { print(TelemetryFormatting.jsonLine(sample)) }
        case .csv:
            print(TelemetryFormatting.csvHeader)
            for sample in samples { print(TelemetryFormatting.csvRow(sample)) }
        case .table:
            print(TelemetryFormatting.tableHeader)
            for sample in samples { print(TelemetryFormatting.tableRow(sample)) }
            print("\(samples.count) sample(s)")
        }
    }

    /// Unix seconds (fractions allowed) or ISO 8601, as Unix microseconds.
    static func parseTime(_ text: String) -> Int64? {
        if let seconds = Double(text), seconds.isFinite { return Int64(seconds * 1_000_000) }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1_000_000) }
        }
        return nil
    }
}
