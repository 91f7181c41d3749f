import GatewayCore
import Ingest
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Reads one MTConnect SHDR adapter over TCP and delivers its configured data items as
/// telemetry (see `ShdrSampleMapper` for how each kind becomes a sample).
///
/// Liveness follows the MTConnect agent (`ShdrHeartbeat`): `* PING` on connect; an adapter
/// answering `* PONG <ms>` is pinged every `ms` and dropped when nothing arrives for 2 × ms; one
/// that never answers is dropped after `heartbeat_timeout_ms` of silence. A refused, reset or
/// silent connection is retried with exponential backoff and jitter
/// (`reconnect_initial_ms` .. `reconnect_max_ms`), forever, until the task is cancelled.
///
/// Health errors: `connect` (cannot connect), `timeout` (heartbeat), `closed` (the adapter
/// closed the connection), `malformed` (a line or part of one could not be parsed; the rest of
/// the stream goes on). Problems are logged once per burst.
public final class ShdrAdapterDriver: MachineDriver {
    public let settings: ShdrAdapterSettings
    public var name: String { settings.name }
    public let protocolName = "shdr"
    private let recorder: MachineHealthRecorder
    private let infoState = Mutex(ShdrAdapterInfo())
    private let logger: Logger
    private let group: any EventLoopGroup

    /// Checks the settings now; the adapter itself may come up later.
    public init(settings: ShdrAdapterSettings, logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        try settings.validate()
        self.settings = settings
        self.logger = logger
        self.group = group
        recorder = MachineHealthRecorder(name: settings.name, protocolName: "shdr")
    }

    public func health() -> MachineHealth { recorder.snapshot() }

    public func info() -> ShdrAdapterInfo { infoState.withLock { $0 } }

    public func run(into sink: any TelemetrySink) async {
        var backoff = ReconnectBackoff(initialSeconds: Double(settings.reconnectInitialMillis) / 1000,
                                       maxSeconds: Double(settings.reconnectMaxMillis) / 1000)
        var problems = BurstLogger(quietSeconds: 10)
        var session = ShdrSessionState(settings: settings)
        var outage = false
        let options = ShdrConnection.Options(
            host: settings.host, port: settings.port, connectTimeoutMillis: settings.connectTimeoutMillis,
            fallbackTimeoutMillis: settings.heartbeatTimeoutMillis, maxLineBytes: settings.maxLineBytes)
        let metadata: Logger.Metadata = ["machine.name": "\(settings.name)", "shdr.address": "\(settings.host):\(settings.port)"]
        while !Task.isCancelled {
            var pending: [TelemetrySample] = []
            var sawLine = false
            do {
                let end = try await ShdrConnection.run(
                    options, parser: session.parser, group: group,
                    onConnected: {
                        recorder.setConnected(true)
                        infoState.withLock { $0.connections += 1 }
                        logger.info(outage ? "shdr adapter reconnected" : "shdr adapter connected", metadata: metadata)
                        outage = false
                    },
                    onLine: { line, raw in
                        sawLine = true
                        session.handle(line, raw: raw, into: &pending, recorder: recorder, info: infoState, problems: &problems, logger: logger)
                    },
                    onBatch: {
                        guard !pending.isEmpty else { return }
                        let batch = pending
                        pending.removeAll(keepingCapacity: true)
                        await sink.deliver(batch)
                    })
                recorder.setConnected(false)
                switch end {
                case .cancelled:
                    break
                case .closedByPeer:
                    recorder.recordError("closed", message: "\(settings.name): the adapter at \(settings.host):\(settings.port) closed the connection")
                    logger.info("shdr adapter closed the connection; reconnecting with backoff", metadata: metadata)
                case .heartbeatTimeout(let silence, let limit):
                    recorder.recordError("timeout", message: "\(settings.name): nothing from \(settings.host):\(settings.port) for \(silence) ms (limit \(limit) ms); reconnecting")
                    logger.info("shdr adapter silent for \(silence) ms (limit \(limit) ms); reconnecting with backoff", metadata: metadata)
                }
                outage = true
                if sawLine { backoff.reset() }
            } catch {
                recorder.setConnected(false)
                let message = (error as? GatewayError)?.message ?? "\(error)"
                recorder.recordError("connect", message: message)
                if !outage {
                    logger.info("\(message); retrying with backoff up to \(settings.reconnectMaxMillis) ms", metadata: metadata)
                    outage = true
                }
            }
            if !pending.isEmpty { await sink.deliver(pending) }
            guard !Task.isCancelled else { break }
            try? await Task.sleep(for: .milliseconds(Int64(backoff.next() * 1000)))
        }
        problems.flush(logger: logger)
        recorder.setConnected(false)
    }
}

/// The per-connection-loop state of a driver: parser, mapper and what lines update.
struct ShdrSessionState {
    let settings: ShdrAdapterSettings
    let parser: ShdrLineParser
    var mapper: ShdrSampleMapper

    init(settings: ShdrAdapterSettings) {
        self.settings = settings
        parser = ShdrLineParser(mappings: settings.items)
        mapper = ShdrSampleMapper(source: settings.name, mappings: settings.items, passUnmapped: settings.passUnmapped)
    }

    mutating func handle(
        _ line: ShdrLine, raw: Substring, into pending: inout [TelemetrySample], recorder: MachineHealthRecorder,
        info: borrowing Mutex<ShdrAdapterInfo>, problems: inout BurstLogger, logger: Logger
    ) {
        func malformed(_ reason: String) {
            let message = "\(settings.name): malformed SHDR line '\(ShdrLineParser.sample(raw))': \(reason)"
            recorder.recordError("malformed", message: message)
            info.withLock { $0.malformedLines += 1 }
            problems.report(message, now: unixMicrosNow(), logger: logger, metadata: ["machine.name": "\(settings.name)"])
        }
        info.withLock { $0.lines += 1 }
        switch line {
        case .data(let data):
            let keys = mapper.unmapped.count
            let total = mapper.unmappedObservations
            mapper.samples(from: data, into: &pending)
            recorder.recordSuccess(at: unixMicrosNow())
            if let problem = data.problem { malformed(problem) }
            // The snapshot of unmapped keys is refreshed on a new key and every 64 unmapped
            // observations, so a chatty unmapped stream does not copy the table per line.
            if mapper.unmapped.count != keys || (mapper.unmappedObservations != total && mapper.unmappedObservations % 64 == 0) {
                let unmapped = mapper.unmapped
                info.withLock { $0.unmapped = unmapped }
            }
        case .command(let key, let value):
            info.withLock { $0.commands[key] = value }
        case .pong(let millis):
            info.withLock { $0.heartbeatMillis = millis }
            recorder.recordSuccess(at: unixMicrosNow())
        case .ping, .empty:
            break
        case .malformed(let reason):
            malformed(reason)
        }
    }
}
