import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running Tools/modbus-peer.py (pymodbus server, misbehaving server or pymodbus client),
/// from the venv Tools/install-deps.sh creates under .build-peers/.
public final class ModbusPeer {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static var python: String { root.appendingPathComponent(".build-peers/venv/bin/python").path }
    public static var script: String { root.appendingPathComponent("Tools/modbus-peer.py").path }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let pid: pid_t
    public let directory: URL

    /// Starts `modbus-peer.py ARGS --ready FILE` and waits (at most 10 s) for the ready file.
    public init(_ arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw Failure(description: "pymodbus venv missing at \(Self.python): run Tools/install-deps.sh")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("modbus-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ready = directory.appendingPathComponent("ready").path
        pid = try TestProcess.spawn([Self.python, Self.script] + arguments + ["--ready", ready], stderrPath: directory.appendingPathComponent("log").path)
        for _ in 0..<500 {
            if FileManager.default.fileExists(atPath: ready) { return }
            usleep(20_000)
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("log"), encoding: .utf8)) ?? ""
        TestProcess.terminate(pid)
        throw Failure(description: "modbus peer \(arguments) did not start within 10 s: \(log)")
    }

    /// The TCP port of a `tcp` or `bad` server (0 for other roles).
    public private(set) var port = 0

    public static func tcp(port: Int) throws -> ModbusPeer {
        let peer = try ModbusPeer(["tcp", String(port)])
        peer.port = port
        return peer
    }
    public static func bad(port: Int) throws -> ModbusPeer { try ModbusPeer(["bad", String(port)]) }

    public func stop() { TestProcess.terminate(pid) }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A TCP port that was free a moment ago on 127.0.0.1.
    public static func freePort() -> Int {
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
