import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore
import Logging
import Store

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Learn each device's empty-room calibration from captures and store it, or list stored ones.",
        discussion: """
            Record the room empty (nobody in it, doors and fans as they usually are) for at least \
            10 s, then: gateway calibrate EMPTY_CAPTURE --db DB. Prints per device its figures and \
            a verdict: good, or poor when it covers too little time or the room was not empty \
            (recalibrate then). The calibration is stored in DB (unless --dry-run); 'gateway run' \
            starts each device with its newest one and 'gateway replay --use-stored-calibration' \
            replays with it. --show lists what DB holds. Exit codes: 0 done, 3 a calibration is \
            poor and --strict was given, 64 bad arguments or unreadable input.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Captures of the empty room (any format 'gateway inspect' reads).")
    var files: [String] = []

    @Option(name: [.customLong("db"), .customLong("store")], help: "Gateway database to store calibrations in or list them from.")
    var db: String?

    @Option(help: "Only this device (repeatable); an error if the captures do not hold it.")
    var device: [String] = []

    @Option(help: "Use only each device's first N seconds of the captures (default: all of them).")
    var seconds: Double?

    @Flag(help: "List stored calibrations: the newest per device, or every one kept of --device.")
    var show = false

    @Flag(name: .customLong("dry-run"), help: "Learn and print, store nothing.")
    var dryRun = false

    @Flag(help: "Exit with status 3 when a calibration printed is poor (or unreadable).")
    var strict = false

    @Option(help: "Output format: text, or json (one object per line).")
    var format: Format = .text

    func validate() throws {
        if show {
            guard files.isEmpty else {
                throw ValidationError("--show lists stored calibrations and reads no capture; drop the files or --show")
            }
            if seconds != nil || dryRun {
                throw ValidationError("--seconds and --dry-run apply when learning from captures, not with --show")
            }
            guard let db else { throw ValidationError("--show needs the database: --db FILE") }
            guard FileManager.default.fileExists(atPath: db) else {
                throw ValidationError("no database at \(db); pass the file given to 'gateway calibrate --db' or the daemon's store.path")
            }
            return
        }
        guard !files.isEmpty else {
            throw ValidationError("name a capture of the empty room (gateway calibrate EMPTY_CAPTURE --db DB), or --show to list stored calibrations")
        }
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("cannot read \(file); check the path and its permissions")
        }
        if db == nil, !dryRun {
            throw ValidationError("name the database to store the calibration in (--db FILE), or pass --dry-run to only print it")
        }
        if let seconds, !(seconds >= 1 && seconds <= 3600) {
            throw ValidationError("--seconds takes 1 to 3600, got \(seconds)")
        }
    }

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let entries: [CalibrationFormatting.Entry]
        do {
            entries = show ? try listStored() : try learn()
        } catch let error as GatewayError {
            throw ValidationError(error.message)
        }
        for (index, entry) in entries.enumerated() {
            switch format {
            case .json: print(CalibrationFormatting.jsonLine(entry))
            case .text: print((index > 0 ? "\n" : "") + CalibrationFormatting.text(entry))
            }
        }
        if strict, entries.contains(where: { $0.verdict != "good" }) {
            throw ExitCode(3)
        }
    }

    private func learn() throws -> [CalibrationFormatting.Entry] {
        var options = CalibrationRunner.Options(files: files)
        options.seconds = seconds
        options.devices = device.map { DeviceID($0) }
        let result = try CalibrationRunner(options: options, logger: Logger(label: "calibrate")).run()
        for problem in result.problems {
            FileHandle.standardError.write(Data("warning: \(problem); frames before it were used\n".utf8))
        }
        let created = unixMicrosNow()
        var store: GatewayStore?
        if let db, !dryRun { store = try GatewayStore(path: db) }
        defer { try? store?.close() }
        var entries: [CalibrationFormatting.Entry] = []
        for learnt in result.learnt {
            var row: Int64?
            if let store {
                let record = try CalibrationRecord(device: learnt.device, calibration: learnt.calibration,
                                                   source: result.source, created: created)
                row = try store.saveCalibration(record)
            }
            entries.append(.init(device: learnt.device, calibration: learnt.calibration, source: result.source,
                                 created: created, row: row))
        }
        try store?.close()
        return entries
    }

    private func listStored() throws -> [CalibrationFormatting.Entry] {
        guard let db else { return [] }
        let store = try GatewayStore(path: db)
        defer { try? store.close() }
        var records: [CalibrationRecord] = []
        if device.isEmpty {
            records = try store.latestCalibrations()
            guard !records.isEmpty else {
                throw GatewayError(.notFound, "\(db) holds no calibration yet; store one with 'gateway calibrate EMPTY_CAPTURE --db \(db)'")
            }
        } else {
            for name in device {
                let history = try store.calibrations(device: DeviceID(name))
                guard !history.isEmpty else {
                    let known = try store.latestCalibrations().map(\.device.rawValue)
                    throw GatewayError(.notFound,
                        "\(db) holds no calibration of device '\(name)'; devices with one: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
                }
                records += history
            }
        }
        return records.map { CalibrationFormatting.Entry(record: $0, path: db) }
    }
}
