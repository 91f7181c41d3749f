import CPcap
import GatewayCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One record of a pcap or pcapng file.
public struct PcapPacket: Sendable {
    /// Capture time, Unix microseconds.
    public var timestamp: Int64
    /// The file's link-layer type (`LINKTYPE_*`: 1 Ethernet, 101 raw IP, 113 Linux SLL, ...).
    public var linkType: Int32
    /// The captured bytes (possibly fewer than `originalLength` when the snap length cut them).
    public var bytes: [UInt8]
    /// Length of the packet on the wire.
    public var originalLength: Int
}

/// Reads pcap and pcapng files record by record with libpcap (`pcap_open_offline` +
/// `pcap_next_ex`). libpcap's failures become `GatewayError`s naming the file and its message.
public struct PcapFileReader {
    private let handle: PcapHandle
    public let path: String
    /// Link-layer type of the file (of its first interface, for pcapng).
    public let linkType: Int32
    /// Records returned so far.
    public private(set) var packetCount = 0

    public init(path: String) throws {
        self.path = path
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        let opened = pcap_open_offline_with_tstamp_precision(
            path, UInt32(PCAP_TSTAMP_PRECISION_MICRO), &errorBuffer)
        guard let opened else {
            let message = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw GatewayError(.io, "cannot open \(path) as pcap/pcapng: \(message); check that the file is a complete capture")
        }
        handle = PcapHandle(opened)
        linkType = pcap_datalink(opened)
    }

    /// Bytes of the file consumed so far (the stream position libpcap's reader is at).
    public var position: Int {
        guard let file = pcap_file(handle.pointer) else { return 0 }
        return max(0, ftell(file))
    }

    /// The next record, nil at the end of the file. Throws when libpcap reports an error
    /// (for example a record cut short at the end of the file).
    public mutating func next() throws -> PcapPacket? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        let result = pcap_next_ex(handle.pointer, &header, &data)
        switch result {
        case 1:
            guard let header, let data else { return nil }
            let record = header.pointee
            packetCount += 1
            let length = Int(record.caplen)
            return PcapPacket(
                timestamp: Int64(record.ts.tv_sec) * 1_000_000 + Int64(record.ts.tv_usec),
                linkType: linkType,
                bytes: Array(UnsafeBufferPointer(start: data, count: length)),
                originalLength: Int(record.len))
        case PCAP_ERROR_BREAK:
            return nil
        default:
            let message = String(cString: pcap_geterr(handle.pointer))
            throw GatewayError(
                .malformedInput,
                "\(path): libpcap failed after packet \(packetCount): \(message); the frames before it were read")
        }
    }
}

/// Owns the `pcap_t` so it is closed exactly once, when the last copy of the reader goes away.
private final class PcapHandle {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { pcap_close(pointer) }
}
