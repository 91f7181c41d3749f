import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import ServiceLifecycle
import TLSFiles
import UnixSignals

/// The running service: the HTTP server in a `ServiceGroup`, plus the handles tests and the CLI
/// need (bound port, storage). `run()` returns after a graceful shutdown (SIGTERM/SIGINT or
/// `shutdown()`), with in-flight requests finished and the database closed.
public struct CloudSyncServer: Sendable {
    public let group: ServiceGroup
    public let storage: any CloudStorage
    /// The listening port, set once the server is up.
    public let port: BoundPort

    public func run() async throws {
        do {
            try await group.run()
        } catch {
            try? await storage.close()
            throw error
        }
        try await storage.close()
    }

    public func shutdown() async {
        await group.triggerGracefulShutdown()
    }
}

/// Builds the service from a validated config: opens (and migrates) the database and enrolls the
/// configured gateways now, so a bad path fails start-up with a clear error before anything listens.
public func buildCloudSync(
    config: CloudSyncConfig, logger: Logger, signals: [UnixSignal] = [.sigterm, .sigint]
) async throws -> CloudSyncServer {
    // TLS files first: a bad certificate path stops start-up before the database is opened.
    var server = HTTPServerBuilder.http1()
    if let certificate = config.listen.tlsCertificateFile, let key = config.listen.tlsKeyFile {
        let tls = try tlsFiles {
            try TLSFiles.server(certificateFile: certificate, keyFile: key, clientCAFile: config.listen.tlsClientCAFile, key: "listen.tls_")
        }
        server = try .tls(.http1(), tlsConfiguration: tls)
        logger.info("serving HTTPS\(config.listen.tlsClientCAFile == nil ? "" : ", gateway certificates required")")
    }
    var pullTLS: [String: TLSConfiguration?] = [:]
    for (index, target) in config.pulls.enumerated() where target.tlsCAFile != nil || target.tlsCertificateFile != nil {
        pullTLS[target.origin] = try tlsFiles {
            try TLSFiles.client(caFile: target.tlsCAFile, certificateFile: target.tlsCertificateFile, keyFile: target.tlsKeyFile,
                                key: "pull target \(index) (\(target.origin)): tls_")
        }
    }
    let storage: any CloudStorage = switch config.storage {
    case .sqlite(let path): try SQLiteCloudStorage(path: path)
    case .postgres(let settings): try await PostgresCloudStorage.open(settings: settings, logger: logger)
    }
    let changes: EnrollmentChanges
    do {
        changes = try await storage.enroll(config.gateways)
    } catch {
        try? await storage.close()
        throw error
    }
    logEnrollment(config.gateways, changes, logger: logger)

    let mirror = LogMirror(storage: storage, limits: config.limits, logger: logger)
    let port = BoundPort()
    let host = config.listen.host
    let app = Application(
        router: CloudSyncRouter.build(mirror: mirror),
        server: server,
        configuration: .init(address: .hostname(host, port: config.listen.port), serverName: "cloud-sync"),
        onServerRunning: { channel in
            port.set(channel.localAddress?.port)
            logger.info("listening", metadata: [
                "http.host": "\(host)", "http.port": "\(channel.localAddress?.port.map(String.init) ?? "?")",
            ])
        },
        logger: logger)
    // Pullers start after the server, so a graceful shutdown stops them first.
    let pullers: [any Service] = config.pulls.map { target in
        GatewayPuller(target: target, mirror: mirror, logger: logger, tls: pullTLS[target.origin] ?? nil)
    }
    var groupConfig = ServiceGroupConfiguration(services: [app] + pullers, gracefulShutdownSignals: signals, logger: logger)
    groupConfig.maximumGracefulShutdownDuration = .seconds(30)
    return CloudSyncServer(group: ServiceGroup(configuration: groupConfig), storage: storage, port: port)
}

private func logEnrollment(_ gateways: [EnrolledGateway], _ changes: EnrollmentChanges, logger: Logger) {
    if gateways.isEmpty {
        logger.warning("no gateways are enrolled: every batch will be refused with unknown_origin; list them under gateways in the config")
    }
    for origin in changes.added { logger.info("gateway enrolled", metadata: ["gateway.origin": "\(origin)"]) }
    for origin in changes.keyChanged {
        logger.notice("gateway verifier key changed: new checkpoints must be signed by the new key", metadata: ["gateway.origin": "\(origin)"])
    }
    for origin in changes.removed {
        logger.notice("gateway no longer in the config: its batches are refused from now on, its stored log is kept", metadata: ["gateway.origin": "\(origin)"])
    }
    logger.info("gateways enrolled", metadata: ["gateways.count": "\(gateways.count)"])
}

/// Runs a TLS file loader, turning its problem into a configuration error (start-up stops with
/// the key, the file and the fix).
private func tlsFiles<T>(_ load: () throws -> T) throws -> T {
    do {
        return try load()
    } catch let problem as TLSFiles.Problem {
        throw CloudSyncError(.invalidConfig, problem.description)
    }
}
