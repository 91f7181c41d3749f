import TestPeers
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real mosquitto broker on 127.0.0.1 for tests, with persistence in a temporary folder so a
/// restart keeps queued messages and persistent sessions.
final class MosquittoBroker {
    let port: Int
    let directory: URL
    private var pid: pid_t = 0

    enum Failure: Error, CustomStringConvertible {
        case notInstalled, didNotStart(String)
        var description: String {
            switch self {
            case .notInstalled: return "mosquitto is not installed: run Tools/install-deps.sh (apt-get install mosquitto)"
            case .didNotStart(let log): return "mosquitto did not start: \(log)"
            }
        }
    }

    init() throws {
        guard let binary = Self.binary else { throw Failure.notInstalled }
        _ = binary
        port = Self.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mosquitto-\(UUID().uuidString)")
        // World-writable: mosquitto started as root drops to its own user before writing persistence.
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        let config = """
            listener \(port) 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location \(directory.path)/
            autosave_interval 1
            max_queued_messages 100000
            log_dest file \(directory.path)/mosquitto.log
            """
        try config.write(to: directory.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
        try start()
    }

    static var binary: String? {
        ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func start() throws {
        guard let binary = Self.binary else { throw Failure.notInstalled }
        pid = try TestProcess.spawn([binary, "-c", directory.appendingPathComponent("mosquitto.conf").path])
        for _ in 0..<200 {
            if Self.canConnect(port: port) { return }
            usleep(20_000)
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("mosquitto.log"), encoding: .utf8)) ?? ""
        throw Failure.didNotStart(log)
    }

    /// SIGTERM (mosquitto saves its persistence file) and wait for it to exit.
    func stop() {
        TestProcess.terminate(pid)
        pid = 0
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
