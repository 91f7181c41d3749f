import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal pair from socat for serial-port tests: DIR/a and DIR/b are linked, what is
/// written to one is read from the other. Stopping socat makes both ends hang up, like an
/// unplugged USB-serial board; `start()` again recreates the same links.
public final class SerialPTYPair {
    public let directory: URL
    public var a: String { directory.appendingPathComponent("a").path }
    public var b: String { directory.appendingPathComponent("b").path }
    private var pid: pid_t = 0

    public enum Failure: Error, CustomStringConvertible {
        case notInstalled, didNotStart(String)
        public var description: String {
            switch self {
            case .notInstalled: return "socat is not installed: run Tools/install-deps.sh (apt-get install socat)"
            case .didNotStart(let log): return "socat did not create its pty links: \(log)"
            }
        }
    }

    public init() throws {
        guard Self.binary != nil else { throw Failure.notInstalled }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("serial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try start()
    }

    public static var binary: String? {
        ["/usr/bin/socat", "/usr/local/bin/socat", "/bin/socat"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public var logPath: String { directory.appendingPathComponent("socat.log").path }

    public func start() throws {
        guard let binary = Self.binary else { throw Failure.notInstalled }
        unlink(a)
        unlink(b)
        pid = try TestProcess.spawn(
            [binary, "-d", "-d", "pty,raw,echo=0,link=\(a)", "pty,raw,echo=0,link=\(b)"], stderrPath: logPath)
        for _ in 0..<250 {
            // fileExists follows the links: true once the pty behind each exists.
            if FileManager.default.fileExists(atPath: a), FileManager.default.fileExists(atPath: b) { return }
            usleep(20_000)
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        stop()
        throw Failure.didNotStart(log)
    }

    /// SIGTERM and wait for socat to exit; both ptys disappear.
    public func stop() {
        TestProcess.terminate(pid)
        pid = 0
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// The far end of the pair, as the instrument: blocking writes, reads with a timeout.
public final class SerialPTYWriter: @unchecked Sendable {
    public let fd: Int32

    public init(path: String) throws {
        fd = open(path, O_RDWR | O_NOCTTY)
        guard fd >= 0 else { throw SerialPTYPair.Failure.didNotStart("cannot open \(path): errno \(errno)") }
    }

    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw SerialPTYPair.Failure.didNotStart("write failed: errno \(errno)")
            }
            offset += n
        }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Bytes that arrive within `timeoutMilliseconds` (empty on timeout or hang-up).
    public func read(timeoutMilliseconds: Int32) -> [UInt8] {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, timeoutMilliseconds) > 0, descriptor.revents & Int16(POLLIN) != 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = Glibc.read(fd, &buffer, buffer.count)
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    deinit { close(fd) }
}
