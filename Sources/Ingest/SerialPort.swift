import GatewayCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open tty in raw mode: open(O_RDWR | O_NOCTTY | O_NONBLOCK), `cfmakeraw`, 8 data bits,
/// parity and stop bits from the settings, CLOCAL | CREAD, no hardware or software flow control.
/// Reads wait with poll() and a timeout so a reader thread can notice shutdown. Not thread-safe:
/// one thread owns it. The descriptor closes on `close()` or deinit.
public final class SerialPort {
    public let path: String
    public private(set) var fileDescriptor: Int32

    /// Baud rates this platform's termios defines, ascending.
    public static let supportedBaudRates: [Int] = baudTable.map(\.rate)

    private static let baudTable: [(rate: Int, speed: speed_t)] = {
        var table: [(Int, speed_t)] = [
            (9600, speed_t(B9600)), (19200, speed_t(B19200)), (38400, speed_t(B38400)),
            (57600, speed_t(B57600)), (115_200, speed_t(B115200)), (230_400, speed_t(B230400)),
        ]
        #if os(Linux)
        table += [
            (460_800, speed_t(B460800)), (500_000, speed_t(B500000)), (576_000, speed_t(B576000)),
            (921_600, speed_t(B921600)), (1_000_000, speed_t(B1000000)), (1_152_000, speed_t(B1152000)),
            (1_500_000, speed_t(B1500000)), (2_000_000, speed_t(B2000000)), (2_500_000, speed_t(B2500000)),
            (3_000_000, speed_t(B3000000)),
        ]
        #endif
        return table
    }()

    /// The termios speed constant for `baud`, or an error naming the value and the supported ones.
    public static func speed(forBaud baud: Int) throws -> speed_t {
        guard let entry = baudTable.first(where: { $0.rate == baud }) else {
            let list = supportedBaudRates.map(String.init).joined(separator: ", ")
            throw GatewayError(.invalidConfig, "serial baud rate \(baud) is not supported; use one of \(list)")
        }
        return entry.speed
    }

    public convenience init(settings: SerialSettings) throws {
        try self.init(path: settings.path, baud: settings.baud, parity: settings.parity, stopBits: settings.stopBits)
    }

    /// Opens and configures `path`. Errors name the path and the fix.
    public init(path: String, baud: Int, parity: SerialSettings.Parity = .none, stopBits: Int = 1) throws {
        let speed = try Self.speed(forBaud: baud)
        guard stopBits == 1 || stopBits == 2 else {
            throw GatewayError(.invalidConfig, "serial stop bits \(stopBits) for \(path) is not supported; use 1 or 2")
        }
        self.path = path
        let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            self.fileDescriptor = -1
            throw Self.openError(path: path, errno: code)
        }
        self.fileDescriptor = fd
        var options = termios()
        guard tcgetattr(fd, &options) == 0 else {
            let code = errno
            closeDescriptor()
            if code == ENOTTY {
                throw GatewayError(.io, "\(path) is not a serial device (tcgetattr: not a tty); point serial.path at the board's tty, for example /dev/ttyUSB0")
            }
            throw GatewayError(.io, "cannot read the settings of serial device \(path): \(Self.describe(code))")
        }
        cfmakeraw(&options)
        options.c_cflag &= ~Self.flag(CSIZE | PARENB | PARODD | CSTOPB)
        options.c_cflag &= ~Self.flag(CRTSCTS)
        options.c_cflag |= Self.flag(CS8 | CLOCAL | CREAD)
        switch parity {
        case .none: break
        case .even: options.c_cflag |= Self.flag(PARENB)
        case .odd: options.c_cflag |= Self.flag(PARENB | PARODD)
        }
        if stopBits == 2 { options.c_cflag |= Self.flag(CSTOPB) }
        options.c_iflag &= ~Self.flag(IXON | IXOFF | IXANY)
        cfsetispeed(&options, speed)
        cfsetospeed(&options, speed)
        guard tcsetattr(fd, TCSANOW, &options) == 0 else {
            let code = errno
            closeDescriptor()
            throw GatewayError(.io, "cannot configure serial device \(path) for \(baud) baud: \(Self.describe(code)); the driver may not support this rate")
        }
    }

    deinit { closeDescriptor() }

    public var isOpen: Bool { fileDescriptor >= 0 }

    public func close() { closeDescriptor() }

    private func closeDescriptor() {
        if fileDescriptor >= 0 {
            #if canImport(Glibc)
            _ = Glibc.close(fileDescriptor)
            #elseif canImport(Musl)
            _ = Musl.close(fileDescriptor)
            #else
            _ = Darwin.close(fileDescriptor)
            #endif
            fileDescriptor = -1
        }
    }

    public enum ReadResult: Sendable, Equatable {
        /// This many bytes were read into the buffer (at least 1).
        case data(Int)
        /// Nothing arrived within the timeout.
        case timeout
        /// The device went away (unplugged, hang-up, EOF or a read error); reopen it.
        case closed(String)
    }

    /// Waits up to `timeoutMilliseconds` for bytes and reads what is there.
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int32) -> ReadResult {
        guard fileDescriptor >= 0 else { return .closed("the port is closed") }
        var descriptor = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        if ready < 0 {
            let code = errno
            if code == EINTR { return .timeout }
            return .closed("poll failed: \(Self.describe(code))")
        }
        if ready == 0 { return .timeout }
        let revents = Int32(descriptor.revents)
        if revents & Int32(POLLNVAL) != 0 { return .closed("the descriptor became invalid") }
        // Read even when POLLHUP is set: the last bytes before the hang-up are still there.
        let count = systemRead(fileDescriptor, buffer.baseAddress, buffer.count)
        if count > 0 { return .data(count) }
        if count == 0 { return .closed("end of file (the device hung up)") }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR {
            if revents & Int32(POLLHUP | POLLERR) != 0 { return .closed("hang-up") }
            return .timeout
        }
        return .closed("read failed: \(Self.describe(code))")
    }

    /// Writes all of `bytes`, waiting with poll() when the output buffer is full.
    public func write(_ bytes: [UInt8], timeoutMilliseconds: Int32 = 5000) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                systemWrite(fileDescriptor, raw.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if written > 0 {
                offset += written
                continue
            }
            let code = errno
            guard written < 0, code == EAGAIN || code == EWOULDBLOCK || code == EINTR else {
                throw GatewayError(.io, "cannot write to serial device \(path): \(Self.describe(code))")
            }
            var descriptor = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
            if poll(&descriptor, 1, timeoutMilliseconds) == 0 {
                throw GatewayError(.io, "writing to serial device \(path) timed out after \(timeoutMilliseconds) ms")
            }
        }
    }

    /// Waits until everything written has left the port (tcdrain), so a caller can time the
    /// silence after a frame (Modbus RTU's 3.5 characters).
    public func drain() {
        guard fileDescriptor >= 0 else { return }
        while tcdrain(fileDescriptor) != 0, errno == EINTR {}
    }

    /// Drops bytes received but not yet read (tcflush TCIFLUSH): stale replies before a new request.
    public func discardInput() {
        guard fileDescriptor >= 0 else { return }
        _ = tcflush(fileDescriptor, TCIFLUSH)
    }

    static func openError(path: String, errno code: Int32) -> GatewayError {
        switch code {
        case ENOENT, ENODEV, ENXIO:
            return GatewayError(
                .notFound,
                "serial device \(path) does not exist: check that the board is plugged in and the path is right (ls /dev/ttyUSB* /dev/ttyACM* /dev/serial/by-id/)")
        case EACCES, EPERM:
            return GatewayError(
                .io,
                "permission denied opening serial device \(path): add the gateway's user to the dialout group (sudo usermod -aG dialout $USER, then log in again) or grant access with a udev rule")
        case EBUSY:
            return GatewayError(.io, "serial device \(path) is busy: close the other program using it (idf.py monitor, screen, minicom)")
        default:
            return GatewayError(.io, "cannot open serial device \(path): \(describe(code))")
        }
    }

    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }

    private static func flag<T: BinaryInteger>(_ value: T) -> tcflag_t { tcflag_t(truncatingIfNeeded: value) }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
