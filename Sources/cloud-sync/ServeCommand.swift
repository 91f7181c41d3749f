import ArgumentParser
import CloudSync
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service until SIGTERM or SIGINT.",
        discussion: """
            The YAML config holds listen {host, port}, storage {sqlite}, gateways [{origin, verifier_key}] \
            and limits {max_entries, max_bytes}; see README.md ("Cloud sync service"). Gateways are enrolled \
            from it at every start. Port 0 picks a free port; the chosen one is logged.
            """)

    @Option(name: .shortAndLong, help: "YAML config file.")
    var config: String

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level '\(logLevel)' is not a level; use trace, debug, info, notice, warning, error or critical")
        }
    }

    func run() async throws {
        let loaded: CloudSyncConfig
        do {
            loaded = try CloudSyncConfig.load(path: config)
        } catch let error as CloudSyncError {
            throw ValidationError(error.message)
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "cloud-sync")
        logger.info("starting", metadata: [
            "config": "\(config)", "storage": "\(loaded.storageDescription)", "gateways.count": "\(loaded.gateways.count)",
        ])
        let server: CloudSyncServer
        do {
            server = try await buildCloudSync(config: loaded, logger: logger)
        } catch let error as CloudSyncError {
            logger.critical("cannot start: \(error.message)")
            throw ExitCode(2)
        }
        do {
            try await server.run()
        } catch {
            // Binding happens inside run: a busy port is the usual cause.
            logger.critical("stopped: \(error). If it could not listen on \(loaded.listen.host):\(loaded.listen.port), change listen.host or listen.port in \(config), or stop the process using that port")
            throw ExitCode(2)
        }
        logger.info("stopped cleanly")
    }
}
