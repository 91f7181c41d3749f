import Foundation
import GatewayCore
import Logging
import ServiceLifecycle
import Synchronization

/// Reads ESP32 CSI CSV lines (ESP32-CSI-Tool, esp-csi) from a serial port and feeds valid frames
/// to the queue.
///
/// A dedicated thread (never the Swift cooperative pool) owns the port: it waits for bytes with
/// poll() and a 100 ms timeout, splits lines (`SerialLineSplitter`), parses them with
/// `ESP32CSVLine` (firmware log lines are skipped, not counted), validates sequences per device
/// and pushes into the `IngestQueue`, which never blocks. When the device goes away (unplugged,
/// hang-up, read error) it logs once and reopens with backoff, 0.5 s doubling to 10 s, until
/// graceful shutdown, which stops the thread and closes the port.
public final class SerialSource: Service, Sendable {
    public let settings: SerialSettings
    public let counters: IngestCounters
    private let queue: IngestQueue
    private let maxDevices: Int
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let open = Atomic<Bool>(false)
    private let opens = Atomic<Int>(0)
    private let finish = Mutex<Finish>(Finish())

    private struct Finish {
        var done = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    /// Polling interval of the reader thread; bounds how long shutdown waits for it.
    static let pollMilliseconds: Int32 = 100
    static let firstBackoff = 0.5
    static let maxBackoff = 10.0

    /// Checks the settings (baud rate, stop bits) now; the device itself may appear later.
    public init(settings: SerialSettings, queue: IngestQueue, counters: IngestCounters, maxDevices: Int = 1024, logger: Logger) throws {
        try settings.validate()
        self.settings = settings
        self.queue = queue
        self.counters = counters
        self.maxDevices = maxDevices
        self.logger = logger
    }

    /// True while the port is open (for readiness checks and tests).
    public var isOpen: Bool { open.load(ordering: .acquiring) }

    /// How many times the port was opened successfully (1 + reconnects).
    public var openCount: Int { opens.load(ordering: .acquiring) }

    public func run() async throws {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else {
            throw GatewayError(.invalidConfig, "the serial source for \(settings.path) is already running; create one source per port")
        }
        let thread = Thread { [self] in
            readLoop()
            finished()
        }
        thread.name = "serial \(settings.path)"
        thread.start()
        logger.info("serial source started", metadata: ["serial.path": "\(settings.path)", "serial.baud": "\(settings.baud)"])
        try? await gracefulShutdown()
        stopping.store(true, ordering: .releasing)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = finish.withLock { state -> Bool in
                if state.done { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        logger.info("serial source stopped", metadata: ["serial.path": "\(settings.path)"])
    }

    private func finished() {
        let waiter = finish.withLock { state -> CheckedContinuation<Void, Never>? in
            state.done = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    private var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Sleeps up to `seconds` in short steps; returns early on shutdown.
    private func pause(_ seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while !isStopping, Date() < deadline { usleep(20_000) }
    }

    // MARK: - The reader thread

    private func readLoop() {
        var reader = SerialLineIngest(settings: settings, queue: queue, counters: counters, maxDevices: maxDevices, logger: logger)
        var backoff = Self.firstBackoff
        var outage = false
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        while !isStopping {
            let port: SerialPort
            do {
                port = try SerialPort(settings: settings)
            } catch {
                if !outage {
                    logger.info("serial device unavailable: \(error); retrying with backoff up to \(Int(Self.maxBackoff)) s",
                                metadata: ["serial.path": "\(settings.path)"])
                    outage = true
                }
                pause(backoff)
                backoff = min(backoff * 2, Self.maxBackoff)
                continue
            }
            open.store(true, ordering: .releasing)
            opens.add(1, ordering: .relaxed)
            logger.info(outage ? "serial device reopened" : "serial device opened",
                        metadata: ["serial.path": "\(settings.path)", "serial.baud": "\(settings.baud)"])
            outage = false
            backoff = Self.firstBackoff
            var reason: String?
            while !isStopping, reason == nil {
                switch port.read(into: buffer, timeoutMilliseconds: Self.pollMilliseconds) {
                case .data(let count):
                    reader.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                case .timeout:
                    continue
                case .closed(let why):
                    reason = why
                }
            }
            port.close()
            open.store(false, ordering: .releasing)
            reader.deviceWentAway()
            guard let reason, !isStopping else { break }
            logger.info("serial device \(settings.path) went away (\(reason)); reopening with backoff up to \(Int(Self.maxBackoff)) s",
                        metadata: ["serial.path": "\(settings.path)"])
            outage = true
            pause(backoff)
            backoff = min(backoff * 2, Self.maxBackoff)
        }
        reader.flushLogs()
    }
}

/// Lines to frames to the queue: the per-thread state of a `SerialSource` (not shared).
struct SerialLineIngest {
    private let path: String
    private let deviceName: DeviceID?
    private var splitter: SerialLineSplitter
    private var parser: ESP32CSVLine
    private var intake: FrameIntake
    private var lineNumber = 0

    init(settings: SerialSettings, queue: IngestQueue, counters: IngestCounters, maxDevices: Int, logger: Logger) {
        self.path = settings.path
        self.deviceName = settings.deviceName.map { DeviceID($0) }
        self.splitter = SerialLineSplitter(maxLineBytes: settings.maxLineBytes)
        self.parser = ESP32CSVLine(source: settings.path, ignoresNonCSILines: true)
        self.intake = FrameIntake(queue: queue, counters: counters, maxDevices: maxDevices, naming: settings.naming, logger: logger)
    }

    mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        var pieces: [SerialLineSplitter.Piece] = []
        splitter.feed(bytes) { pieces.append($0) }
        for piece in pieces {
            switch piece {
            case .garbage:
                lineNumber += 1
                intake.counters.countReceived()
                let reason = MalformedReason.malformedRecord(
                    location: "\(path): near line \(lineNumber)",
                    detail: "garbage: no newline within \(splitter.maxLineBytes) bytes or bytes before a CSI_DATA record; check the baud rate")
                intake.reject([reason], origin: "on serial port \(path)", now: unixMicrosNow(), metadata: ["serial.path": "\(path)"])
            case .line(let line):
                lineNumber += 1
                handle(line)
            }
        }
    }

    private mutating func handle(_ line: ArraySlice<UInt8>) {
        guard let record = parser.parse(line: line, lineNumber: lineNumber) else { return }
        intake.counters.countReceived()
        let now = unixMicrosNow()
        switch record {
        case .malformed(let reason):
            intake.reject([reason], origin: "on serial port \(path)", now: now, metadata: ["serial.path": "\(path)"])
        case .frames(var frames):
            if let deviceName {
                for i in frames.indices { frames[i].device = deviceName }
            }
            intake.admit(frames, now: now)
        case .paFrames(let frames):
            intake.admit(pa: frames, now: now)
        }
    }

    /// The unfinished line is lost with the device.
    mutating func deviceWentAway() {
        splitter.reset()
    }

    mutating func flushLogs() {
        intake.flushLogs()
    }
}
