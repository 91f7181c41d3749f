import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running Tools/modbus-peer.py (pymodbus server, misbehaving server or pymodbus client),
/// from the venv Tools/install-deps.sh creates under .build-peers/.
final class ModbusPeer {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var python: String { root.appendingPathComponent(".build-peers/venv/bin/python").path }
    static var script: String { root.appendingPathComponent("Tools/modbus-peer.py").path }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    let directory: URL

    /// Starts `modbus-peer.py ARGS --ready FILE` and waits (at most 10 s) for the ready file.
    init(_ arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw Failure(description: "pymodbus venv missing at \(Self.python): run Tools/install-deps.sh")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("modbus-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ready = directory.appendingPathComponent("ready").path
        pid = try PeerProcess.spawn([Self.python, Self.script] + arguments + ["--ready", ready], stderrPath: directory.appendingPathComponent("log").path)
        for _ in 0..<500 {
            if FileManager.default.fileExists(atPath: ready) { return }
            usleep(20_000)
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("log"), encoding: .utf8)) ?? ""
        PeerProcess.terminate(pid)
        throw Failure(description: "modbus peer \(arguments) did not start within 10 s: \(log)")
    }

    static func tcp(port: Int) throws -> ModbusPeer { try ModbusPeer(["tcp", String(port)]) }
    static func bad(port: Int) throws -> ModbusPeer { try ModbusPeer(["bad", String(port)]) }

    func stop() { PeerProcess.terminate(pid) }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A TCP port that was free a moment ago on 127.0.0.1.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// posix_spawn with clean signal state (Foundation's Process passes on blocked signals), and
/// terminate by pid.
enum PeerProcess {
    static func spawn(_ arguments: [String], stderrPath: String? = nil, stdoutPath: String? = nil) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stderrPath { posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_APPEND, 0o644) }
        if let stdoutPath { posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard rc == 0 else { throw ModbusPeer.Failure(description: "posix_spawn \(arguments[0]) failed: errno \(rc)") }
        return pid
    }

    static func terminate(_ pid: pid_t) {
        guard pid > 0, kill(pid, 0) == 0 else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

/// A socat pty pair: DIR/a and DIR/b are linked (the gateway on one end, the peer on the other).
final class PTYPair {
    let directory: URL
    var a: String { directory.appendingPathComponent("a").path }
    var b: String { directory.appendingPathComponent("b").path }
    private let pid: pid_t

    init() throws {
        guard let socat = ["/usr/bin/socat", "/usr/local/bin/socat"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ModbusPeer.Failure(description: "socat is not installed: run Tools/install-deps.sh")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("modbus-pty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        pid = try PeerProcess.spawn([socat, "-d", "-d", "pty,raw,echo=0,link=\(directory.path)/a", "pty,raw,echo=0,link=\(directory.path)/b"],
                                    stderrPath: directory.appendingPathComponent("socat.log").path)
        for _ in 0..<250 {
            if FileManager.default.fileExists(atPath: a), FileManager.default.fileExists(atPath: b) { return }
            usleep(20_000)
        }
        PeerProcess.terminate(pid)
        throw ModbusPeer.Failure(description: "socat did not create its pty links within 5 s")
    }

    deinit {
        PeerProcess.terminate(pid)
        try? FileManager.default.removeItem(at: directory)
    }
}
