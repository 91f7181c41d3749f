/// A UDP datagram found in a captured packet.
public struct PcapUDPDatagram: Sendable, Equatable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Where the UDP payload lies in the packet's bytes (the length the UDP header states).
    public var payload: Range<Int>
}

/// Finds the UDP datagram in a captured packet: Ethernet (with VLAN tags), Linux cooked
/// capture v1/v2, raw IP and BSD loopback link layers, over IPv4 or IPv6.
public enum PcapUDP {
    /// Link types understood (`LINKTYPE_*` values of pcap files).
    public enum LinkType {
        public static let null: Int32 = 0
        public static let ethernet: Int32 = 1
        public static let rawOpenBSD: Int32 = 12
        public static let raw: Int32 = 101
        public static let linuxSLL: Int32 = 113
        public static let ipv4: Int32 = 228
        public static let ipv6: Int32 = 229
        public static let linuxSLL2: Int32 = 276
    }

    /// Why a packet that claims to carry IP/UDP cannot be read.
    public struct Failure: Error, Sendable, Equatable {
        public var detail: String
    }

    /// The packet's UDP datagram; nil when the packet is not UDP (other protocols, other link
    /// types); throws when an IP or UDP header is cut short or inconsistent.
    public static func datagram(linkType: Int32, bytes: [UInt8]) throws(Failure) -> PcapUDPDatagram? {
        let found = bytes.withUnsafeBytes { raw in
            Result { () throws(Failure) in try datagram(linkType: linkType, bytes: raw) }
        }
        return try found.get()
    }

    /// The same for bytes borrowed from a capture buffer (no copy per packet).
    public static func datagram(linkType: Int32, bytes: UnsafeRawBufferPointer) throws(Failure) -> PcapUDPDatagram? {
        guard let network = try networkLayer(linkType: linkType, bytes: bytes) else { return nil }
        switch network.version {
        case 4: return try ipv4(bytes, at: network.offset)
        case 6: return try ipv6(bytes, at: network.offset)
        default: return nil
        }
    }

    /// Offset of the IP header and its version, from the link-layer header.
    private static func networkLayer(linkType: Int32, bytes: UnsafeRawBufferPointer) throws(Failure) -> (offset: Int, version: Int)? {
        switch linkType {
        case LinkType.ethernet:
            var offset = 12
            while true {
                guard bytes.count >= offset + 2 else { throw Failure(detail: "Ethernet header cut short (\(bytes.count) bytes)") }
                let type = be16(bytes, offset)
                if type == 0x8100 || type == 0x88A8 { offset += 4; continue }
                return version(forEtherType: type, offset: offset + 2)
            }
        case LinkType.linuxSLL:
            guard bytes.count >= 16 else { throw Failure(detail: "Linux cooked header cut short (\(bytes.count) bytes)") }
            return version(forEtherType: be16(bytes, 14), offset: 16)
        case LinkType.linuxSLL2:
            guard bytes.count >= 20 else { throw Failure(detail: "Linux cooked v2 header cut short (\(bytes.count) bytes)") }
            return version(forEtherType: be16(bytes, 0), offset: 20)
        case LinkType.raw, LinkType.rawOpenBSD, LinkType.ipv4, LinkType.ipv6:
            guard let first = bytes.first else { throw Failure(detail: "empty raw IP packet") }
            return (0, Int(first >> 4))
        case LinkType.null:
            guard bytes.count >= 4 else { throw Failure(detail: "loopback header cut short (\(bytes.count) bytes)") }
            let family = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
            let host = family > 0xFFFF ? family.byteSwapped : family
            if host == 2 { return (4, 4) }
            if host == 24 || host == 28 || host == 30 { return (4, 6) }
            return nil
        default:
            return nil
        }
    }

    private static func version(forEtherType type: UInt16, offset: Int) -> (offset: Int, version: Int)? {
        switch type {
        case 0x0800: return (offset, 4)
        case 0x86DD: return (offset, 6)
        default: return nil
        }
    }

    private static func ipv4(_ bytes: UnsafeRawBufferPointer, at start: Int) throws(Failure) -> PcapUDPDatagram? {
        guard bytes.count >= start + 20 else { throw Failure(detail: "IPv4 header cut short (\(bytes.count - start) bytes)") }
        let headerLength = Int(bytes[start] & 0x0F) * 4
        guard headerLength >= 20 else { throw Failure(detail: "IPv4 header length \(headerLength) is below 20") }
        guard bytes[start + 9] == 17 else { return nil }
        let totalLength = Int(be16(bytes, start + 2))
        guard totalLength >= headerLength else {
            throw Failure(detail: "IPv4 total length \(totalLength) is below its header length \(headerLength)")
        }
        let fragment = be16(bytes, start + 6)
        guard fragment & 0x3FFF == 0 else {
            throw Failure(detail: "fragmented IPv4 datagram; reassembly is not supported, raise the sender's MTU")
        }
        return try udp(bytes, at: start + headerLength, end: start + totalLength)
    }

    private static func ipv6(_ bytes: UnsafeRawBufferPointer, at start: Int) throws(Failure) -> PcapUDPDatagram? {
        guard bytes.count >= start + 40 else { throw Failure(detail: "IPv6 header cut short (\(bytes.count - start) bytes)") }
        let end = start + 40 + Int(be16(bytes, start + 4))
        var next = bytes[start + 6]
        var offset = start + 40
        // Hop-by-hop, routing and destination options headers may precede UDP.
        while next == 0 || next == 43 || next == 60 {
            guard bytes.count >= offset + 2 else { throw Failure(detail: "IPv6 extension header cut short") }
            next = bytes[offset]
            offset += (Int(bytes[offset + 1]) + 1) * 8
        }
        if next == 44 {
            throw Failure(detail: "fragmented IPv6 datagram; reassembly is not supported, raise the sender's MTU")
        }
        guard next == 17 else { return nil }
        return try udp(bytes, at: offset, end: end)
    }

    /// The UDP header at `start`; `end` is where the IP datagram says it ends.
    private static func udp(_ bytes: UnsafeRawBufferPointer, at start: Int, end: Int) throws(Failure) -> PcapUDPDatagram {
        guard bytes.count >= start + 8, end >= start + 8 else {
            throw Failure(detail: "UDP header cut short (\(max(0, min(bytes.count, end) - start)) bytes)")
        }
        let length = Int(be16(bytes, start + 4))
        guard length >= 8 else { throw Failure(detail: "UDP length \(length) is below 8") }
        guard start + length <= bytes.count else {
            throw Failure(detail: "UDP datagram of \(length) bytes but only \(bytes.count - start) captured; capture with a larger snap length")
        }
        return PcapUDPDatagram(
            sourcePort: be16(bytes, start), destinationPort: be16(bytes, start + 2),
            payload: (start + 8)..<(start + length))
    }

    private static func be16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}
