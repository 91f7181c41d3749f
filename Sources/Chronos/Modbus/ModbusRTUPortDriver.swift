import Foundation
import GatewayCore
import Logging
import Synchronization

/// Polls every Modbus RTU device (unit) on one serial port from one thread: one request at a
/// time on the bus, units taken round-robin, so a slow or dead unit costs only its own turns
/// (its timeouts) and, after three timeouts in a row, is polled with backoff until it answers.
/// `name` is the port's path; each unit's samples carry its own device name.
public final class ModbusRTUPortDriver: MachineDriver {
    public let line: ModbusSerialLine
    public let devices: [ModbusDeviceSettings]
    public var name: String { line.path }
    public var protocolName: String { "modbus-rtu" }
    private let recorders: [MachineHealthRecorder]
    private let logger: Logger
    private let onPoll: (@Sendable (ModbusPollEvent) -> Void)?
    private let portOpen = Atomic<Bool>(false)

    /// `devices` must all use `line`.
    public init(line: ModbusSerialLine, devices: [ModbusDeviceSettings], logger: Logger = Logger(label: "chronos.modbus"),
                onPoll: (@Sendable (ModbusPollEvent) -> Void)? = nil) {
        self.line = line
        self.devices = devices
        self.recorders = devices.map { MachineHealthRecorder(name: $0.name, protocolName: "modbus-rtu") }
        self.logger = logger
        self.onPoll = onPoll
    }

    /// The port as a whole: connected while open, counts summed over its units.
    public func health() -> MachineHealth {
        var health = MachineHealth(name: line.path, protocolName: protocolName)
        health.connected = portOpen.load(ordering: .relaxed)
        for unit in unitHealth() {
            health.successes += unit.successes
            health.errors.merge(unit.errors, uniquingKeysWith: +)
            if let success = unit.lastSuccess, success > (health.lastSuccess ?? .min) {
                health.lastSuccess = success
                health.lastLatencySeconds = unit.lastLatencySeconds
            }
            if unit.lastError != nil { health.lastError = unit.lastError }
        }
        return health
    }

    /// Each unit's own health, in `devices` order.
    public func unitHealth() -> [MachineHealth] { recorders.map { $0.snapshot() } }

    public func run(into sink: any TelemetrySink) async {
        let (stream, continuation) = AsyncStream.makeStream(of: [TelemetrySample].self, bufferingPolicy: .bufferingNewest(4096))
        let stop = StopSignal()
        Thread.detachNewThread { [self] in
            busLoop(stop: stop, output: continuation)
            continuation.finish()
            stop.markFinished()
        }
        await withTaskCancellationHandler {
            for await samples in stream { await sink.deliver(samples) }
        } onCancel: {
            stop.requestStop()
        }
        stop.requestStop()
        // The bus thread notices within one request; wait so the port is closed on return.
        await stop.finished()
    }

    private func busLoop(stop: StopSignal, output: AsyncStream<[TelemetrySample]>.Continuation) {
        let clock = ContinuousClock()
        var pollers = devices.indices.map { ModbusPoller(settings: devices[$0], recorder: recorders[$0], logger: logger, start: clock.now) }
        var unitBackoff = devices.map { Backoff(initial: .milliseconds($0.reconnectInitialMillis), maximum: .milliseconds($0.reconnectMaxMillis)) }
        var timeoutsInARow = [Int](repeating: 0, count: devices.count)
        var portBackoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
        var transport: ModbusRTUTransport?
        var next = 0
        while !stop.stopRequested {
            if transport == nil {
                do {
                    transport = try ModbusRTUTransport(line: line, interByteTimeout: .milliseconds(devices.map(\.interByteTimeoutMillis).min() ?? 50))
                    portOpen.store(true, ordering: .relaxed)
                    portBackoff.reset()
                } catch {
                    let failure = ModbusError(.connect, "cannot open \(line.path): \(error)")
                    for index in pollers.indices { pollers[index].recordConnectFailure(failure) }
                    sleepChecking(stop, for: portBackoff.next())
                    continue
                }
            }
            guard let bus = transport else { continue }
            let now = clock.now
            var chosen: (unit: Int, due: ModbusPoller.Due)?
            for step in 0..<devices.count {
                let unit = (next + step) % devices.count
                if let due = pollers[unit].takeDue(now: now, limit: 1).first, !pollers[unit].isQuiet(due.block, now: now) {
                    chosen = (unit, due)
                    break
                }
            }
            guard let pick = chosen else {
                let wake = pollers.compactMap(\.earliestDue).min() ?? now + .milliseconds(50)
                sleepChecking(stop, for: min(wake - clock.now, .milliseconds(50)))
                continue
            }
            let (unit, due) = pick
            next = unit + 1
            let device = devices[unit]
            let request = pollers[unit].blocks[due.block].request
            let retry = ModbusRetry(retries: device.busyRetries)
            let started = clock.now
            let result: Result<ModbusResponse, ModbusError>
            do {
                result = .success(try retry.runBlocking { () throws(ModbusError) in
                    try bus.send(unit: device.unit, request, timeout: .milliseconds(device.timeoutMillis))
                })
            } catch {
                result = .failure(error)
            }
            let samples = pollers[unit].handle(block: due.block, result: result, latency: clock.now - started, now: clock.now)
            switch result {
            case .success:
                timeoutsInARow[unit] = 0
                unitBackoff[unit].reset()
            case .failure(let error):
                if error.kind == .timeout {
                    timeoutsInARow[unit] += 1
                    if timeoutsInARow[unit] >= 3 { pollers[unit].delayAll(until: clock.now + unitBackoff[unit].next()) }
                }
                if error.kind == .closed {
                    bus.close()
                    transport = nil
                    portOpen.store(false, ordering: .relaxed)
                }
            }
            onPoll?(ModbusPollEvent(device: device.name, block: due.block, lateness: started - due.scheduled, succeeded: (try? result.get()) != nil))
            // The buffer keeps the newest batches when the store falls behind; a drop is counted.
            if !samples.isEmpty, case .dropped = output.yield(samples) {
                recorders[unit].recordError("overflow", message: "\(device.name): the store fell behind and an older batch of readings was dropped from the 4096-batch buffer")
            }
        }
        transport?.close()
        portOpen.store(false, ordering: .relaxed)
    }

    private func sleepChecking(_ stop: StopSignal, for duration: Duration) {
        var left = duration
        while left > .zero, !stop.stopRequested {
            let slice = min(left, .milliseconds(20))
            sleepFor(slice)
            left -= slice
        }
    }
}
