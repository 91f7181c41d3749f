import GatewayCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Polls one Modbus TCP device on its own task: one connection (reconnected with exponential
/// backoff and jitter), its read plan on each point group's period, replies turned into samples.
/// Requests go one at a time unless the device is configured with `max_outstanding > 1`, when
/// up to that many due reads are pipelined on the connection.
public final class ModbusTCPDriver: MachineDriver {
    public let settings: ModbusDeviceSettings
    public var name: String { settings.name }
    public var protocolName: String { "modbus-tcp" }
    private let recorder: MachineHealthRecorder
    private let logger: Logger
    private let onPoll: (@Sendable (ModbusPollEvent) -> Void)?
    private let connection = Mutex<ModbusTCPConnection?>(nil)
    /// After this many timeouts in a row the connection is dropped and made again.
    static let timeoutsBeforeReconnect = 3

    public init(settings: ModbusDeviceSettings, logger: Logger = Logger(label: "chronos.modbus"), onPoll: (@Sendable (ModbusPollEvent) -> Void)? = nil) {
        self.settings = settings
        self.recorder = MachineHealthRecorder(name: settings.name, protocolName: "modbus-tcp")
        self.logger = logger
        self.onPoll = onPoll
    }

    public func health() -> MachineHealth { recorder.snapshot() }

    public func run(into sink: any TelemetrySink) async {
        // The task runs on the event loop of its connection (see EventLoopTaskExecutor).
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop)) {
            await runPinned(to: eventLoop, into: sink)
        }
    }

    private func runPinned(to eventLoop: any EventLoop, into sink: any TelemetrySink) async {
        guard case .tcp(let host, let port) = settings.transport else { return }
        let clock = ContinuousClock()
        var poller = ModbusPoller(settings: settings, recorder: recorder, logger: logger, start: clock.now)
        var backoff = Backoff(initial: .milliseconds(settings.reconnectInitialMillis), maximum: .milliseconds(settings.reconnectMaxMillis))
        let recorder = self.recorder
        let label = settings.label
        while !Task.isCancelled {
            let current: ModbusTCPConnection
            do {
                current = try await ModbusTCPConnection.connect(
                    host: host, port: port, connectTimeout: .milliseconds(max(settings.timeoutMillis, 1000)),
                    interByteTimeout: .milliseconds(settings.interByteTimeoutMillis), group: eventLoop
                ) { id in
                    recorder.recordError("wrong_transaction_id", message: "\(label): discarded a reply with transaction id \(id), which no request was waiting for (a late reply after a timeout, or a device fault)")
                }
            } catch {
                poller.recordConnectFailure(error)
                let delay = backoff.next()
                poller.delayAll(until: clock.now + delay)
                try? await Task.sleep(for: delay)
                continue
            }
            connection.withLock { $0 = current }
            recorder.setConnected(true)
            backoff.reset()
            await poll(current, poller: &poller, clock: clock, eventLoop: eventLoop, sink: sink)
            connection.withLock { $0 = nil }
            await current.close()
            recorder.setConnected(false)
            if !Task.isCancelled {
                let delay = backoff.next()
                poller.delayAll(until: clock.now + delay)
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// Polls until the connection fails (closed, partial frame, too many timeouts) or the task
    /// is cancelled.
    private func poll(_ connection: ModbusTCPConnection, poller: inout ModbusPoller, clock: ContinuousClock, eventLoop: any EventLoop, sink: any TelemetrySink) async {
        let unit = settings.unit
        let timeout = Duration.milliseconds(settings.timeoutMillis)
        let retry = ModbusRetry(retries: settings.busyRetries)
        let limit = max(1, settings.maxOutstanding)
        var timeoutsInARow = 0
        while !Task.isCancelled, connection.isActive {
            let now = clock.now
            let due = poller.takeDue(now: now).filter { !poller.isQuiet($0.block, now: now) }
            if due.isEmpty {
                let wake = poller.earliestDue ?? now + .seconds(1)
                await Self.sleep(until: wake, clock: clock, on: eventLoop)
                continue
            }
            var outcomes: [(Int, ContinuousClock.Instant, ContinuousClock.Instant, Result<ModbusResponse, ModbusError>, Duration)] = []
            if limit == 1 {
                for entry in due {
                    let request = poller.blocks[entry.block].request
                    let started = clock.now
                    let result: Result<ModbusResponse, ModbusError>
                    do {
                        result = .success(try await retry.run { () async throws(ModbusError) in try await connection.send(unit: unit, request, timeout: timeout) })
                    } catch {
                        result = .failure(error)
                    }
                    outcomes.append((entry.block, entry.scheduled, started, result, clock.now - started))
                    if case .failure(let error) = result, Self.endsConnection(error) { break }
                }
            } else {
                var index = 0
                while index < due.count {
                    let batch = due[index..<min(index + limit, due.count)].map { ($0.block, $0.scheduled, poller.blocks[$0.block].request) }
                    index += limit
                    await withTaskGroup(of: (Int, ContinuousClock.Instant, ContinuousClock.Instant, Result<ModbusResponse, ModbusError>, Duration).self) { group in
                        for (block, scheduled, request) in batch {
                            group.addTask {
                                let started = clock.now
                                let result: Result<ModbusResponse, ModbusError>
                                do {
                                    result = .success(try await retry.run { () async throws(ModbusError) in try await connection.send(unit: unit, request, timeout: timeout) })
                                } catch {
                                    result = .failure((error as Any) as? ModbusError ?? ModbusError(.closed, "\(error)"))
                                }
                                return (block, scheduled, started, result, clock.now - started)
                            }
                        }
                        for await outcome in group { outcomes.append(outcome) }
                    }
                }
            }
            var samples: [TelemetrySample] = []
            var endConnection = false
            for (block, scheduled, started, result, latency) in outcomes {
                samples += poller.handle(block: block, result: result, latency: latency, now: clock.now)
                var succeeded = true
                if case .failure(let error) = result {
                    succeeded = false
                    if error.kind == .timeout { timeoutsInARow += 1 } else { timeoutsInARow = 0 }
                    if Self.endsConnection(error) { endConnection = true }
                } else {
                    timeoutsInARow = 0
                }
                onPoll?(ModbusPollEvent(device: settings.name, block: block, lateness: started - scheduled, succeeded: succeeded))
            }
            if !samples.isEmpty { await sink.deliver(samples) }
            if endConnection || timeoutsInARow >= Self.timeoutsBeforeReconnect { return }
        }
    }

    /// Sleeps on the event loop's own timer (epoll with a timerfd): the wake-up runs on the
    /// connection's thread with no hop through the dispatch timer thread. Returns early when the
    /// task is cancelled.
    static func sleep(until wake: ContinuousClock.Instant, clock: ContinuousClock, on eventLoop: any EventLoop) async {
        let delay = wake - clock.now
        guard delay > .zero, !Task.isCancelled else { return }
        let timer = eventLoop.scheduleTask(in: TimeAmount(delay)) {}
        await withTaskCancellationHandler {
            _ = try? await timer.futureResult.get()
        } onCancel: {
            timer.cancel()
        }
    }

    /// Errors after which the byte stream can no longer be trusted.
    static func endsConnection(_ error: ModbusError) -> Bool {
        error.kind == .closed || error.kind == .partialFrame || error.kind == .malformed || error.kind == .connect
    }

    /// Writes `value` (text, parsed as the point's type) to a point configured `writable: true`,
    /// over the driver's current connection. Other points refuse.
    public func write(point name: String, value: String) async throws(ModbusError) {
        guard let point = settings.points.first(where: { $0.name == name }) else {
            throw ModbusError(.invalidRequest, "\(settings.label) has no point '\(name)'; check the name against the config")
        }
        let request = try ModbusPointWrite.request(for: point, value: value, device: settings.label)
        guard let current = connection.withLock({ $0 }) else {
            throw ModbusError(.closed, "\(settings.label) is not connected; try again when it is")
        }
        _ = try await current.send(unit: settings.unit, request, timeout: .milliseconds(settings.timeoutMillis))
    }
}
