#if canImport(Glibc)
import Glibc
#endif
import GatewayCore

/// A blocking UDP client socket for the simulator and test tools (not used by the daemon).
public final class UDPSender {
    private let fd: Int32
    private var address: sockaddr_in

    /// `target` is "HOST:PORT" with an IPv4 address or "localhost".
    public init(target: String) throws {
        let parts = target.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else {
            throw GatewayError(.invalidConfig, "'\(target)' is not HOST:PORT (for example 127.0.0.1:5566)")
        }
        let host = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else {
            throw GatewayError(.invalidConfig, "'\(host)' is not an IPv4 address; use for example 127.0.0.1")
        }
        let socketFD = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socketFD >= 0 else {
            throw GatewayError(.network, "cannot open a UDP socket: errno \(errno)")
        }
        self.fd = socketFD
        self.address = addr
    }

    deinit { close(fd) }

    /// Sends one datagram; returns false when the kernel refused it (buffer full, no route).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return sent == bytes.count
    }
}
