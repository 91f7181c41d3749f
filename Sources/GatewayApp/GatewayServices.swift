import GatewayAPI
import GatewayCore
import Chronos
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Inference
import Ingest
import Ledger
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import Store
import Synchronization
import TLSFiles
import UnixSignals

/// The running daemon: every part wired into one `ServiceGroup`, plus handles tests and the
/// CLI need (bound ports, the store).
///
/// Start order: store writer, pipeline, sources, HTTP. Graceful shutdown (SIGTERM/SIGINT or
/// `shutdown()`) runs in reverse: HTTP stops, sources close their sockets and finish the queue,
/// the pipeline drains it and closes open intervals, the writer commits the rest, the store closes.
public struct GatewayServices: Sendable {
    public let group: ServiceGroup
    public let store: GatewayStore
    /// Signs the final checkpoint at shutdown (nil: no key configured).
    public let signer: NoteSignerKey?
    public let udp: UDPSource?
    public let udpCounters: IngestCounters
    public let mqttCounters: IngestCounters?
    public let queue: IngestQueue
    /// The HTTP port once the server is listening (port 0 in the config picks a free one).
    public let httpPort: HTTPPortBox

    public func run() async throws {
        try await group.run()
        // Everything is committed: cover the last entries with a checkpoint before closing.
        if let signer { _ = try? store.signCheckpoint(with: signer) }
        try store.close()
    }

    public func shutdown() async {
        await group.triggerGracefulShutdown()
    }
}

/// Holds the HTTP server's bound port once it is known.
public final class HTTPPortBox: Sendable {
    private let value = Mutex<Int?>(nil)
    public init() {}
    public var port: Int? { value.withLock { $0 } }
    func set(_ port: Int?) { value.withLock { $0 = port } }
}

/// Builds the daemon from a validated config. Binds sockets and opens the store now, so that
/// a busy port or an unwritable database fails start-up with a clear error.
public func buildGateway(
    config: GatewayConfig, registry: PrometheusCollectorRegistry, logger: Logger,
    signals: [UnixSignal] = [.sigterm, .sigint],
    eventSink: @escaping @Sendable (SensingEvent) -> Void = { _ in }
) async throws -> GatewayServices {
    var signer: NoteSignerKey?
    if !config.ledger.keyFile.isEmpty {
        let loaded = try SigningKeyFile.load(path: config.ledger.keyFile)
        if let warning = loaded.warning { logger.warning("\(warning)") }
        signer = loaded.key
        logger.info("signing checkpoints as \(loaded.key.name) (verifier key \(loaded.key.verifierKey.text))")
    } else if config.sync.mode != .off {
        throw GatewayError(.invalidConfig, "sync.mode is \(config.sync.mode) but ledger.key_file is not set: the cloud accepts only signed checkpoints; create a key with `gateway keys generate --name ORIGIN --out FILE` and set ledger.key_file")
    } else {
        logger.notice("ledger.key_file is not set: events are logged but no checkpoint is signed, so nothing can be proven or synced; create a key with `gateway keys generate`")
    }
    let store = try GatewayStore(
        path: config.store.path,
        options: StoreOptions(rawFramesMaxBytes: config.store.rawFramesMaxBytes,
                              calibrationsKeptPerDevice: config.store.calibrationsKept,
                              log: LogOptions(signer: signer, checkpointEveryEntries: config.ledger.checkpointEveryEntries,
                                              checkpointEverySeconds: config.ledger.checkpointEverySeconds)),
        logger: logger)
    var calibrations: [DeviceID: Calibration] = [:]
    if config.store.loadCalibrations {
        let stored = try StoredCalibrations.latest(in: store, strict: false)
        stored.log(to: logger)
        calibrations = stored.byDevice
    }
    let writer = StoreWriter(store: store, maxRows: config.store.commitMaxRows,
                             maxDelay: .milliseconds(config.store.commitIntervalMillis), logger: logger)
    let queue = IngestQueue(perDeviceCapacity: config.pipeline.queueFramesPerDevice, maxDevices: config.pipeline.maxDevices)
    let counters = IngestCounters(source: "udp")
    var sources: [any Service] = []
    // Every source's counters, for /v1/status.
    var allCounters: [IngestCounters] = []
    var udp: UDPSource?
    if config.udp.enabled {
        let source = try await UDPSource.bind(
            host: config.udp.host, port: config.udp.port, queue: queue, counters: counters,
            maxDatagramBytes: config.udp.maxDatagramBytes, receiveBufferBytes: config.udp.receiveBufferBytes,
            maxDevices: config.pipeline.maxDevices, naming: config.udp.naming, logger: logger)
        sources.append(source)
        udp = source
        allCounters.append(counters)
    }
    var mqttCounters: IngestCounters?
    if config.mqtt.enabled {
        let counters = IngestCounters(source: "mqtt")
        sources.append(MQTTSource(settings: config.mqtt.settings, queue: queue, counters: counters,
                                  maxDevices: config.pipeline.maxDevices, logger: logger))
        mqttCounters = counters
        allCounters.append(counters)
    }
    if config.nexmon.enabled {
        let counters = IngestCounters(source: "nexmon")
        allCounters.append(counters)
        sources.append(try await NexmonUDPSource.bind(
            host: config.nexmon.host, port: config.nexmon.port, queue: queue, counters: counters,
            maxDevices: config.pipeline.maxDevices, naming: config.nexmon.naming, logger: logger))
    }
    if config.pcap.enabled {
        let counters = IngestCounters(source: "pcap:\(config.pcap.settings.interface)")
        allCounters.append(counters)
        sources.append(try PcapLiveSource.open(
            settings: config.pcap.settings, queue: queue, counters: counters,
            maxDevices: config.pipeline.maxDevices, logger: logger))
    }
    for port in config.serial {
        let counters = IngestCounters(source: "serial:\(port.path)")
        allCounters.append(counters)
        sources.append(try SerialSource(settings: port, queue: queue, counters: counters,
                                        maxDevices: config.pipeline.maxDevices, logger: logger))
    }
    let machines = try config.machineDrivers(logger: logger)
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
        .init(service: StoreWriterService(writer: writer)),
        .init(service: PipelineService(queue: queue, writer: writer, settings: config.detector, paSettings: config.pa, calibrations: calibrations,
                                        logger: logger, eventSink: eventSink)),
        .init(service: SourcesService(sources: sources, queue: queue, logger: logger)),
    ]
    if !machines.isEmpty {
        services.append(.init(service: MachinesService(
            drivers: machines, sink: StoreTelemetrySink(writer: writer, regime: config.regimeShift, logger: logger), logger: logger)))
    }
    if let signer {
        services.insert(.init(service: CheckpointTimerService(store: store, signer: signer, seconds: config.ledger.checkpointEverySeconds,
                                                              logger: logger)), at: 1)
    }
    let syncState = SyncState()
    if config.sync.mode == .push, let signer {
        let tls = try config.sync.tlsCAFile == nil && config.sync.tlsCertificateFile == nil ? nil : tlsFiles {
            try TLSFiles.client(caFile: config.sync.tlsCAFile, certificateFile: config.sync.tlsCertificateFile,
                                keyFile: config.sync.tlsKeyFile, key: "sync.tls_")
        }
        // Started before the sources, so it stops after them (graceful shutdown runs in reverse).
        services.insert(.init(service: SyncPushService(store: store, settings: config.sync, origin: signer.name, logger: logger,
                                                       state: syncState, tls: tls)), at: 1)
    }
    let portBox = HTTPPortBox()
    if config.http.enabled {
        if config.http.tokens.isEmpty {
            let loopback = ["127.0.0.1", "::1", "localhost"].contains(config.http.host)
            let message: Logger.Message = "http.tokens is empty: the API at \(config.http.host):\(config.http.port) answers without authentication\(loopback ? "" : " to anyone who can reach it"); add tokens with 'gateway token new'"
            if loopback { logger.notice(message) } else { logger.warning(message) }
        } else {
            logger.info("API tokens: \(config.http.tokens.map { "\($0.name) (\($0.role.rawValue))" }.joined(separator: ", "))")
        }
        var server = HTTPServerBuilder.http1()
        if let certificate = config.http.tlsCertificateFile, let key = config.http.tlsKeyFile {
            let tls = try tlsFiles {
                try TLSFiles.server(certificateFile: certificate, keyFile: key, clientCAFile: config.http.tlsClientCAFile, key: "http.tls_")
            }
            server = try .tls(.http1(), tlsConfiguration: tls)
            logger.info("API over HTTPS\(config.http.tlsClientCAFile == nil ? "" : ", client certificates required")")
        }
        let app = Application(
            router: GatewayRouter.build(
                registry: registry, tokens: config.http.tokens,
                reader: StoreGatewayReader(store: store, startedAt: unixMicrosNow(), counters: allCounters, queue: queue,
                                           machines: machines, syncMode: config.sync.mode, syncState: syncState),
                syncPull: config.sync.mode == .pull ? signer.map { StoreSyncPullProvider(store: store, origin: $0.name) } : nil),
            server: server,
            configuration: .init(address: .hostname(config.http.host, port: config.http.port), serverName: "sensing-gateway"),
            onServerRunning: { channel in
                portBox.set(channel.localAddress?.port)
            },
            logger: logger)
        services.append(.init(service: app))
    }
    var groupConfig = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: signals, logger: logger)
    groupConfig.maximumGracefulShutdownDuration = Duration.seconds(30)
    return GatewayServices(group: ServiceGroup(configuration: groupConfig), store: store, signer: signer, udp: udp,
                           udpCounters: counters, mqttCounters: mqttCounters, queue: queue, httpPort: portBox)
}

/// Runs a TLS file loader, turning its problem into a configuration error (start-up stops with
/// the key, the file and the fix).
private func tlsFiles<T>(_ load: () throws -> T) throws -> T {
    do {
        return try load()
    } catch let problem as TLSFiles.Problem {
        throw GatewayError(.invalidConfig, problem.description)
    }
}
