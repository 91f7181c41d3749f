import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL server for the tests: Debian's binaries (`postgresql` package, installed
/// by Tools/install-deps.sh), a fresh cluster in a temporary directory listening on 127.0.0.1 at
/// a free port with trust authentication, started once per test process and stopped at exit.
/// As root (CI), the cluster belongs to the `postgres` user, which PostgreSQL requires.
enum PostgresTestServer {
    struct Handle: Sendable {
        let port: Int
        let binaries: String
        let directory: String
    }

    /// The running server, started on first use.
    static let shared: Result<Handle, Error> = Result { try start() }

    static func handle() throws -> Handle { try shared.get() }

    /// A new empty database on the shared server; returns its name.
    static func createDatabase() throws -> (Handle, String) {
        let server = try handle()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try run(server.binaries + "/createdb", ["-h", "127.0.0.1", "-p", String(server.port), "-U", "cloud_sync", name])
        return (server, name)
    }

    private static func start() throws -> Handle {
        let binaries = try findBinaries()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cloud-sync-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if geteuid() == 0 { try run("/bin/chown", ["postgres:postgres", directory]) }
        let data = directory + "/data"
        try run(binaries + "/initdb", ["-D", data, "-U", "cloud_sync", "--auth=trust", "-E", "UTF8", "--no-sync"], asPostgres: true)
        let port = freePort()
        let options = "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory) -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        try run(binaries + "/pg_ctl", ["-D", data, "-o", options, "-l", directory + "/server.log", "-w", "-t", "60", "start"], asPostgres: true)
        stopCommand = [binaries + "/pg_ctl", "-D", data, "-m", "immediate", "stop"]
        atexit {
            if let command = PostgresTestServer.stopCommand {
                try? PostgresTestServer.run(command[0], Array(command.dropFirst()), asPostgres: true)
            }
        }
        return Handle(port: port, binaries: binaries, directory: directory)
    }

    nonisolated(unsafe) private static var stopCommand: [String]?

    private static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        guard let version = versions.compactMap(Int.init).max() else {
            throw TestServerError("PostgreSQL is not installed (no \(root)/<version>/bin); run Tools/install-deps.sh or apt-get install -y postgresql")
        }
        return "\(root)/\(version)/bin"
    }

    /// Runs a command to completion with posix_spawn and waitpid. Not Foundation's `Process`: it
    /// hands the child a descriptor it watches for end-of-file to learn of the exit, and the
    /// server `pg_ctl start` leaves behind keeps that descriptor open, so the wait never ends.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = false) throws -> String {
        let argv = asPostgres && geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments
                                                : [executable] + arguments
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pg-run-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw TestServerError("cannot start \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        guard exited, code == 0 else {
            throw TestServerError("\(argv.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    private static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
