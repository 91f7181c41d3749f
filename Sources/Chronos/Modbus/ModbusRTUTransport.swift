import Ingest

/// Modbus RTU on one serial port, blocking: one request at a time, framed by silence. Before
/// each request the bus must have been quiet for t3.5; a reply ends when its length (known from
/// the function code and byte count) has arrived. Owned by one thread.
///
/// A userland process cannot see sub-millisecond gaps through a tty (USB adapters deliver
/// bytes in 1 ms batches), so a reply counts as a partial frame when bytes stop for
/// `interByteTimeout`, at least t3.5, rather than t1.5; the computed t1.5 is reported in
/// `timing` for devices and diagnostics.
public final class ModbusRTUTransport {
    public let line: ModbusSerialLine
    public let timing: RTUTiming
    public var interByteTimeout: Duration
    private let port: SerialPort
    private var lastActivity: UInt64 = 0
    private var buffer = [UInt8](repeating: 0, count: 512)

    public init(line: ModbusSerialLine, interByteTimeout: Duration = .milliseconds(50)) throws {
        self.line = line
        self.timing = line.timing
        self.interByteTimeout = interByteTimeout
        port = try SerialPort(path: line.path, baud: line.baud, parity: line.parity, stopBits: line.stopBits)
    }

    public func close() { port.close() }

    /// Sends `request` to `unit` and returns the parsed reply. Unit 0 is a broadcast: only writes
    /// are allowed and no reply is awaited (`.written` returns once the frame has been sent).
    public func send(unit: UInt8, _ request: ModbusRequest, timeout: Duration) throws(ModbusError) -> ModbusResponse {
        try request.validate()
        guard unit <= 247 else {
            throw ModbusError(.invalidRequest, "unit id \(unit) is not allowed on a serial line; use 1-247 (or 0 to broadcast a write)")
        }
        if unit == 0, case .read = request {
            throw ModbusError(.invalidRequest, "a read cannot be broadcast (unit 0); give the device's unit id 1-247")
        }
        let frame = ModbusCRC.appending(to: [unit] + request.encode())
        waitForSilence()
        port.discardInput()
        do {
            try port.write(frame)
        } catch {
            throw ModbusError(.closed, "cannot write to \(line.path): \(error)")
        }
        port.drain()
        lastActivity = monotonicNanoseconds()
        if unit == 0 { return .written }
        let reply = try readReply(unit: unit, timeout: timeout)
        return try request.decodeResponse(Array(reply[1..<(reply.count - 2)]))
    }

    /// Sleeps until t3.5 has passed since the bus was last active.
    private func waitForSilence() {
        let quiet = UInt64(timing.interFrameMicroseconds * 1000)
        let elapsed = monotonicNanoseconds() &- lastActivity
        if lastActivity != 0, elapsed < quiet {
            sleepFor(.nanoseconds(Int64(quiet - elapsed)))
        }
    }

    private func readReply(unit: UInt8, timeout: Duration) throws(ModbusError) -> [UInt8] {
        var frame: [UInt8] = []
        let start = monotonicNanoseconds()
        let responseNanos = UInt64(max(0, timeout.microsecondsValue)) * 1000
        let gapMillis = Int32(max(timing.interFrameMicroseconds / 1000, Double(interByteTimeout.microsecondsValue) / 1000).rounded(.up))
        while true {
            let waitMillis: Int32
            if frame.isEmpty {
                let elapsed = monotonicNanoseconds() &- start
                guard elapsed < responseNanos else {
                    throw ModbusError(.timeout, "no reply within \(timeout.microsecondsValue / 1000) ms")
                }
                waitMillis = Int32(min(UInt64(Int32.max), (responseNanos - elapsed + 999_999) / 1_000_000))
            } else {
                waitMillis = gapMillis
            }
            let result = buffer.withUnsafeMutableBytes { port.read(into: $0, timeoutMilliseconds: waitMillis) }
            switch result {
            case .data(let count):
                frame += buffer[0..<count]
                lastActivity = monotonicNanoseconds()
            case .timeout:
                if frame.isEmpty { continue }
                throw ModbusError(.partialFrame, "reply stopped after \(frame.count) bytes (partial frame); check the wiring and the line settings")
            case .closed(let reason):
                throw ModbusError(.closed, "\(line.path) closed: \(reason)")
            }
            guard let expected = RTUFrameLength.expected(frame), frame.count >= expected else { continue }
            let reply = Array(frame[0..<expected])
            guard ModbusCRC.isValid(reply) else {
                throw ModbusError(.crc, "reply failed its CRC check (noise on the line, or another baud rate or parity)")
            }
            guard reply[0] == unit else {
                throw ModbusError(.wrongUnit, "reply came from unit \(reply[0]), the request went to unit \(unit); two devices may share an id")
            }
            return reply
        }
    }
}
