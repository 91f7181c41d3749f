import ArgumentParser
import GatewayApp
import GatewayCore
import Logging
import Metrics
import Prometheus

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway daemon: UDP ingest, detection, storage, HTTP /healthz and /metrics.",
        discussion: "Stops cleanly on SIGTERM or SIGINT, committing everything received. Environment variables GATEWAY_<SECTION>_<KEY> override the config file.")

    @Option(name: .shortAndLong, help: "YAML config file (see Deploy/gateway.yaml).")
    var config: String

    @Option(help: "Private note key to sign checkpoints with (overrides ledger.key_file).")
    var key: String?

    func run() async throws {
        var loaded: GatewayConfig
        do {
            loaded = try ConfigLoader.load(path: config)
            if let key { loaded.ledger.keyFile = key }
        } catch let error as GatewayError {
            throw ValidationError(error.message)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = loaded.logging.level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "gateway")
        logger.info("starting", metadata: [
            "gateway.name": "\(loaded.gateway.name)", "config": "\(config)", "store.path": "\(loaded.store.path)",
            "libpcap": "\(GatewayInfo.libraryVersions[0].1)", "libmosquitto": "\(GatewayInfo.libraryVersions[1].1)",
        ])
        let services: GatewayServices
        do {
            services = try await buildGateway(config: loaded, registry: registry, logger: logger)
        } catch let error as GatewayError {
            logger.critical("cannot start: \(error)")
            throw ExitCode(2)
        }
        try await services.run()
        logger.info("stopped cleanly")
    }
}
