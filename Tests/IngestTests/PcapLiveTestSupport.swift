#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GatewayCore
import Ingest

/// Helpers for the live-source tests: a plain UDP sender, a free port, and the capture probe.
enum PcapLiveTestSupport {
    /// True when a live capture on "lo" can be activated (root or CAP_NET_RAW).
    static let canCapture: Bool = PcapLiveSource.probe(interface: "lo") == nil

    /// Sends each datagram to 127.0.0.1:`port` from a fresh socket (bound to `sourcePort` when given).
    static func send(_ datagrams: [[UInt8]], to port: Int, from sourcePort: Int? = nil) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        if let sourcePort {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_port = UInt16(sourcePort).bigEndian
            local.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = withUnsafePointer(to: &local) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        for bytes in datagrams {
            _ = bytes.withUnsafeBytes { buffer in
                withUnsafePointer(to: &addr) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
    }

    /// A UDP port nothing is bound to right now (bind port 0, read it back, close).
    static func freeUDPPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(fd, raw, length) == 0 else { return Int32(-1) }
                return getsockname(fd, raw, &length)
            }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Polls `condition` every 10 ms for up to `seconds`.
    /// Generous by default: under a parallel test run the cooperative pool can be busy for
    /// seconds before the capture's `run()` starts draining what libpcap has buffered.
    static func waitFor(seconds: Double = 30, _ condition: () -> Bool) async {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(), Date() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The UDP payloads of a real Nexmon capture in ../shared/data/csi (to or from port 5500).
    static func nexmonPayloads(_ relative: String) throws -> [[UInt8]] {
        let path = try NexmonTestData.capture(relative)
        var reader = try PcapFileReader(path: path)
        var payloads: [[UInt8]] = []
        while let packet = try reader.next() {
            guard let datagram = try PcapUDP.datagram(linkType: packet.linkType, bytes: packet.bytes),
                  datagram.destinationPort == NexmonDecoder.port || datagram.sourcePort == NexmonDecoder.port
            else { continue }
            payloads.append(Array(packet.bytes[datagram.payload]))
        }
        return payloads
    }
}
