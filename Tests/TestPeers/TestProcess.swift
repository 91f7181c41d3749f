import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts the real peers the tests talk to (mosquitto, socat).
public enum TestProcess {
    public struct SpawnFailure: Error, CustomStringConvertible {
        let program: String
        let errno: Int32
        public var description: String { "posix_spawn \(program) failed: errno \(errno)" }
    }

    /// posix_spawn with an empty signal mask and default handlers. Foundation's Process passes
    /// on the test runner's blocked signals, and a peer with SIGTERM blocked never stops.
    /// stderr goes to `stderrPath` when given.
    public static func spawn(_ arguments: [String], stderrPath: String? = nil) throws -> pid_t {
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
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard rc == 0 else { throw SpawnFailure(program: arguments[0], errno: rc) }
        return pid
    }

    /// SIGTERM, then wait for the process to exit.
    public static func terminate(_ pid: pid_t) {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
