import Foundation
import GatewayCore
import Ingest
import Logging
import Synchronization

/// Reads an RS-232 instrument that prints readings as lines (`InstrumentSettings`): parses each
/// line into the configured points and delivers them as telemetry. With `request` set it sends
/// the query every `poll_ms` and records the time to the answer as latency.
///
/// A dedicated thread owns the port (like `SerialSource`): poll() with a short timeout, line
/// framing on the configured terminator, parsing. Samples travel to `run`'s task through a
/// bounded stream (the newest 1024 batches are kept if the sink falls behind; each drop is
/// counted as `overflow`). Lines that do not
/// parse are counted as `malformed` with a sample of the line in `lastError`; a port that is
/// missing or goes away (unplugged) is counted (`open`, `closed`) and reopened with backoff and
/// jitter. Cancelling `run`'s task stops the thread and closes the port.
public final class SerialInstrumentDriver: MachineDriver {
    public let settings: InstrumentSettings
    public var name: String { settings.name }
    public let protocolName = "serial"
    private let recorder: MachineHealthRecorder
    private let logger: Logger
    private let opens = Atomic<Int>(0)

    /// Checks the settings (and compiles the regex) now; the device may appear later.
    public init(settings: InstrumentSettings, logger: Logger) throws {
        try settings.validate()
        self.settings = settings
        self.logger = logger
        recorder = MachineHealthRecorder(name: settings.name, protocolName: "serial")
    }

    public func health() -> MachineHealth { recorder.snapshot() }

    /// How many times the port was opened (1 + reopens).
    public var openCount: Int { opens.load(ordering: .acquiring) }

    public func run(into sink: any TelemetrySink) async {
        let (stream, continuation) = AsyncStream.makeStream(of: [TelemetrySample].self, bufferingPolicy: .bufferingNewest(1024))
        let stop = StopFlag()
        let thread = Thread { [self] in
            readLoop(stop: stop) { [recorder, name = settings.name] batch in
                // The buffer keeps the newest batches when the store falls behind; a drop is counted.
                if case .dropped = continuation.yield(batch) {
                    recorder.recordError("overflow", message: "\(name): the store fell behind and an older batch of readings was dropped from the 1024-batch buffer")
                }
            }
            continuation.finish()
            stop.finished()
        }
        thread.name = "instrument \(settings.name)"
        thread.start()
        await withTaskCancellationHandler {
            for await batch in stream { await sink.deliver(batch) }
        } onCancel: {
            stop.set()
        }
        // The stream also ends on cancellation; return only once the thread closed the port.
        stop.set()
        await stop.waitUntilFinished()
    }

    /// Tells the reader thread to stop, and lets `run` wait until it has.
    final class StopFlag: Sendable {
        private let value = Atomic<Bool>(false)
        private let done = Mutex<(finished: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        func set() { value.store(true, ordering: .releasing) }
        var isSet: Bool { value.load(ordering: .acquiring) }

        func finished() {
            let waiter = done.withLock { state -> CheckedContinuation<Void, Never>? in
                state.finished = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }

        func waitUntilFinished() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = done.withLock { state -> Bool in
                    if state.finished { return true }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        }
    }

    static let pollMilliseconds = 100

    private func pause(_ seconds: Double, _ stop: StopFlag) {
        let deadline = Date().addingTimeInterval(seconds)
        while !stop.isSet, Date() < deadline { usleep(10_000) }
    }

    // MARK: - The reader thread

    private func readLoop(stop: StopFlag, deliver: ([TelemetrySample]) -> Void) {
        let parser: InstrumentLineParser
        do {
            parser = try InstrumentLineParser(settings: settings)
        } catch {
            recorder.recordError("config", message: "\(error)")
            return
        }
        let metadata: Logger.Metadata = ["machine.name": "\(settings.name)", "serial.path": "\(settings.path)"]
        var backoff = ReconnectBackoff(initialSeconds: Double(settings.reopenInitialMillis) / 1000, maxSeconds: Double(settings.reopenMaxMillis) / 1000)
        var problems = BurstLogger(quietSeconds: 10)
        var framer = LineFramer(terminator: settings.terminator.bytes, maxLineBytes: settings.maxLineBytes)
        let request = settings.request.map { Array($0.utf8) }
        var outage = false
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { buffer.deallocate() }
        while !stop.isSet {
            let port: SerialPort
            do {
                port = try SerialPort(path: settings.path, baud: settings.baud, parity: settings.parity, stopBits: settings.stopBits)
            } catch {
                let message = "\(settings.name): \((error as? GatewayError)?.message ?? "\(error)")"
                recorder.recordError("open", message: message)
                if !outage {
                    logger.info("instrument unavailable: \(message); retrying with backoff", metadata: metadata)
                    outage = true
                }
                pause(backoff.next(), stop)
                continue
            }
            opens.add(1, ordering: .relaxed)
            recorder.setConnected(true)
            logger.info(outage ? "instrument port reopened" : "instrument port opened", metadata: metadata)
            outage = false
            backoff.reset()
            framer.reset()
            var nextPoll = ContinuousClock.now
            var requestSent: ContinuousClock.Instant?
            var reason: String?
            while !stop.isSet, reason == nil {
                var timeout = Self.pollMilliseconds
                if let request {
                    let now = ContinuousClock.now
                    if now >= nextPoll {
                        do {
                            try port.write(request, timeoutMilliseconds: 1000)
                            requestSent = now
                        } catch {
                            reason = (error as? GatewayError)?.message ?? "\(error)"
                            break
                        }
                        nextPoll = now + .milliseconds(settings.pollMillis)
                        if nextPoll < now { nextPoll = now }
                    }
                    let wait = nextPoll - now
                    let waitMillis = Int(wait.components.seconds) * 1000 + Int(wait.components.attoseconds / 1_000_000_000_000_000)
                    timeout = max(1, min(timeout, waitMillis))
                }
                switch port.read(into: buffer, timeoutMilliseconds: Int32(timeout)) {
                case .data(let count):
                    var batch: [TelemetrySample] = []
                    let now = unixMicrosNow()
                    framer.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { piece in
                        switch piece {
                        case .line(let bytes):
                            switch parser.parse(String(decoding: bytes, as: UTF8.self), time: now) {
                            case .samples(let samples):
                                var latency: Double?
                                if let sent = requestSent {
                                    let elapsed = (ContinuousClock.now - sent).components
                                    latency = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                                    requestSent = nil
                                }
                                recorder.recordSuccess(at: now, latencySeconds: latency)
                                batch += samples
                            case .ignored:
                                break
                            case .malformed(let why):
                                let message = "\(settings.name): \(why)"
                                recorder.recordError("malformed", message: message)
                                problems.report(message, now: now, logger: logger, metadata: metadata)
                            }
                        case .overflow:
                            let message = "\(settings.name): a line longer than \(settings.maxLineBytes) bytes without a \(settings.terminator.rawValue) terminator was dropped; check baud rate and terminator"
                            recorder.recordError("malformed", message: message)
                            problems.report(message, now: now, logger: logger, metadata: metadata)
                        }
                    }
                    if !batch.isEmpty { deliver(batch) }
                case .timeout:
                    continue
                case .closed(let why):
                    reason = why
                }
            }
            port.close()
            recorder.setConnected(false)
            guard let reason, !stop.isSet else { break }
            recorder.recordError("closed", message: "\(settings.name): \(settings.path) went away (\(reason))")
            logger.info("instrument port went away (\(reason)); reopening with backoff", metadata: metadata)
            outage = true
            pause(backoff.next(), stop)
        }
        problems.flush(logger: logger)
    }
}
