import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore
import Logging

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run captures through the live pipeline as fast as possible and store the results.",
        discussion: """
            Each device's first seconds are taken as an empty room (--calibrate, default 10 s) unless \
            --calibrate-from names a capture of the empty room, or --use-stored-calibration starts each \
            device with the newest calibration stored in --db ('gateway calibrate' or the daemon put it \
            there; devices without one still calibrate on their first seconds). Stored calibrations are \
            never used unless asked for, so a replay's results depend only on its arguments, and replay \
            stores no calibration. Prints a summary; exits 0 when the files were read, even if some \
            records were malformed (they are counted).
            """)

    @Argument(help: "Capture files (from 'gateway simulate --out').")
    var files: [String]

    @Option(help: "Database to store features and events in (default: a temporary file, removed afterwards).")
    var db: String?

    @Option(help: "Seconds at the start of each device's stream to treat as an empty room.")
    var calibrate: Double?

    @Option(name: .customLong("calibrate-from"), help: "Calibrate from this capture of the empty room first.")
    var calibrateFrom: String?

    @Flag(name: .customLong("use-stored-calibration"),
          help: "Start each device with its newest calibration stored in --db (see 'gateway calibrate').")
    var useStoredCalibration = false

    @Option(help: "Private note key (from 'gateway keys generate') to sign checkpoints of the database's log with.")
    var key: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        for file in files + [calibrateFrom].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("cannot read \(file); check the path")
        }
        if let calibrate, !(calibrate > 0 && calibrate <= 3600) {
            throw ValidationError("--calibrate takes seconds between 0 and 3600, got \(calibrate)")
        }
        if calibrate != nil, calibrateFrom != nil {
            throw ValidationError("use either --calibrate or --calibrate-from, not both")
        }
        if useStoredCalibration {
            guard let db else {
                throw ValidationError("--use-stored-calibration reads the calibrations stored in --db FILE; name that database")
            }
            guard FileManager.default.fileExists(atPath: db) else {
                throw ValidationError("no database at \(db) to take stored calibrations from; store one first with 'gateway calibrate EMPTY_CAPTURE --db \(db)'")
            }
            if calibrateFrom != nil {
                throw ValidationError("use either --calibrate-from or --use-stored-calibration, not both")
            }
        }
    }

    func run() throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "replay")
        let temporary = db == nil
        let path = db ?? FileManager.default.temporaryDirectory.appendingPathComponent("gateway-replay-\(getpid()).sqlite").path
        defer {
            if temporary {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        var options = ReplayRunner.Options(files: files, databasePath: path)
        if let calibrate { options.settings.calibrationSeconds = calibrate }
        options.calibrateFrom = calibrateFrom
        options.useStoredCalibration = useStoredCalibration
        if let key {
            do {
                let loaded = try SigningKeyFile.load(path: key)
                if let warning = loaded.warning { logger.warning("\(warning)") }
                options.signer = loaded.key
            } catch let error as GatewayError {
                throw ValidationError(error.message)
            }
        }
        var runner = ReplayRunner(options: options, logger: logger)
        let bar = isatty(STDOUT_FILENO) == 1 ? ProgressBar() : nil
        if let bar { runner.progress = { done, total in bar.update(done: done, total: total) } }
        let summary: ReplayRunner.Summary
        do {
            summary = try runner.run()
        } catch let error as GatewayError {
            bar?.finish()
            throw ValidationError(error.message)
        }
        bar?.finish()
        if json {
            print(ReplaySummaryFormatting.json(summary))
        } else {
            print(ReplaySummaryFormatting.text(summary, database: temporary ? nil : path))
        }
    }
}

/// A one-line progress bar on a terminal, redrawn in place.
final class ProgressBar {
    private var lastPercent = -1

    func update(done: Int, total: Int) {
        let percent = total > 0 ? Int(Double(done) / Double(total) * 100) : 100
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 40
        let filled = width * percent / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardOutput.write(Data("\r[\(bar)] \(percent)%".utf8))
    }

    func finish() {
        FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
    }
}
