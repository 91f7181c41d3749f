import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real SHDR adapter for tests: a TCP server on 127.0.0.1 with its own thread (poll() over
/// the listener and the clients). On connect it sends `greeting`; it answers `* PING` with
/// `* PONG <pongMillis>` while `answersPings` is true; `send` writes lines to every client.
/// `stop()` closes everything (an adapter that went away); `start()` listens again on the same port.
public final class ShdrTestAdapter: @unchecked Sendable {
    private struct State {
        var greeting: [String] = []
        var pongMillis: Int? = 1000
        var outbox: [String] = []
        var pingsSeen = 0
        var connections = 0
        var dropClients = false
        var greetAfterPing = false
    }

    private let state = Mutex(State())
    private let running = Atomic<Bool>(false)
    private var thread: Thread?
    private let done = Atomic<Bool>(true)
    public private(set) var port: Int = 0

    /// With `greetAfterPing` the greeting follows the first PONG instead of the accept.
    public init(greeting: [String] = [], pongMillis: Int? = 1000, greetAfterPing: Bool = false) throws {
        state.withLock {
            $0.greetAfterPing = greetAfterPing
            $0.greeting = greeting
            $0.pongMillis = pongMillis
        }
        try start()
    }

    deinit { stop() }

    public var pingsSeen: Int { state.withLock { $0.pingsSeen } }
    public var connections: Int { state.withLock { $0.connections } }

    public func setPong(_ millis: Int?) { state.withLock { $0.pongMillis = millis } }
    public func setGreeting(_ lines: [String]) { state.withLock { $0.greeting = lines } }
    public func send(_ lines: String...) { state.withLock { $0.outbox += lines } }
    /// Closes the current clients but keeps listening.
    public func dropClients() { state.withLock { $0.dropClients = true } }

    public func start() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            close(fd)
            throw Failure("bind/listen on 127.0.0.1:\(port): errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        running.store(true, ordering: .releasing)
        done.store(false, ordering: .releasing)
        let thread = Thread { [self] in
            serve(listener: fd)
            close(fd)
            done.store(true, ordering: .releasing)
        }
        self.thread = thread
        thread.start()
    }

    public func stop() {
        running.store(false, ordering: .releasing)
        let deadline = Date().addingTimeInterval(5)
        while !done.load(ordering: .acquiring), Date() < deadline { usleep(5000) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ text: String) { description = text }
    }

    private func serve(listener: Int32) {
        var clients: [Int32: [UInt8]] = [:]
        var greeted = Set<Int32>()
        defer { for fd in clients.keys { close(fd) } }
        while running.load(ordering: .acquiring) {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            for fd in clients.keys { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            _ = poll(&fds, nfds_t(fds.count), 10)
            if fds[0].revents & Int16(POLLIN) != 0 {
                let client = accept(listener, nil, nil)
                if client >= 0 {
                    clients[client] = []
                    let greeting = state.withLock { s -> [String] in
                        s.connections += 1
                        return s.greetAfterPing ? [] : s.greeting
                    }
                    greeted.remove(client)
                    for line in greeting { write(client, line) }
                }
            }
            for entry in fds.dropFirst() where entry.revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(entry.fd, &buffer, buffer.count)
                if n <= 0 {
                    close(entry.fd)
                    clients[entry.fd] = nil
                    continue
                }
                clients[entry.fd, default: []] += buffer[0..<n]
                while let newline = clients[entry.fd]?.firstIndex(of: 0x0A) {
                    let line = String(decoding: clients[entry.fd]![..<newline], as: UTF8.self)
                    clients[entry.fd]!.removeSubrange(...newline)
                    if line.hasPrefix("* PING") {
                        let (pong, greeting) = state.withLock { s -> (Int?, [String]) in
                            s.pingsSeen += 1
                            return (s.pongMillis, s.greetAfterPing ? s.greeting : [])
                        }
                        if let pong { write(entry.fd, "* PONG \(pong)") }
                        if !greeting.isEmpty, greeted.insert(entry.fd).inserted {
                            for line in greeting { write(entry.fd, line) }
                        }
                    }
                }
            }
            let (outbox, drop) = state.withLock { s -> ([String], Bool) in
                defer { s.outbox = []; s.dropClients = false }
                return (s.outbox, s.dropClients)
            }
            for line in outbox { for fd in clients.keys { write(fd, line) } }
            if drop {
                for fd in clients.keys { close(fd) }
                clients = [:]
            }
        }
    }

    private func write(_ fd: Int32, _ line: String) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }
}
