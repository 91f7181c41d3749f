import TestPeers
import Foundation
import GatewayCore
import Ingest
import SensingProto
import Testing

/// Pcap files written by hand here: global header + records, no tools involved.
@Suite struct PcapCaptureReaderTests {
    /// A little-endian microsecond pcap with `linkType` and the given (seconds, µs, bytes) records.
    static func pcap(linkType: UInt32, _ records: [(UInt32, UInt32, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: UInt32) { out += withUnsafeBytes(of: v.littleEndian, Array.init) }
        func u16(_ v: UInt16) { out += withUnsafeBytes(of: v.littleEndian, Array.init) }
        u32(0xA1B2_C3D4); u16(2); u16(4); u32(0); u32(0); u32(65535); u32(linkType)
        for (seconds, micros, bytes) in records {
            u32(seconds); u32(micros); u32(UInt32(bytes.count)); u32(UInt32(bytes.count)); out += bytes
        }
        return out
    }

    /// A little-endian pcapng: section header, one interface (µs resolution), enhanced packets.
    static func pcapng(linkType: UInt16, _ records: [(UInt64, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: UInt32) { out += withUnsafeBytes(of: v.littleEndian, Array.init) }
        func u16(_ v: UInt16) { out += withUnsafeBytes(of: v.littleEndian, Array.init) }
        u32(0x0A0D_0D0A); u32(28); u32(0x1A2B_3C4D); u16(1); u16(0); u32(0xFFFF_FFFF); u32(0xFFFF_FFFF); u32(28)
        u32(1); u32(20); u16(linkType); u16(0); u32(65535); u32(20)
        for (micros, bytes) in records {
            let padding = (4 - bytes.count % 4) % 4
            let length = UInt32(32 + bytes.count + padding)
            u32(6); u32(length); u32(0); u32(UInt32(micros >> 32)); u32(UInt32(micros & 0xFFFF_FFFF))
            u32(UInt32(bytes.count)); u32(UInt32(bytes.count))
            out += bytes + Array(repeating: 0, count: padding)
            u32(length)
        }
        return out
    }

    static func udp(_ payload: [UInt8], src: UInt16 = 40000, dst: UInt16) -> [UInt8] {
        let length = UInt16(8 + payload.count)
        return [UInt8(src >> 8), UInt8(src & 0xFF), UInt8(dst >> 8), UInt8(dst & 0xFF),
                UInt8(length >> 8), UInt8(length & 0xFF), 0, 0] + payload
    }

    static func ipv4(_ udp: [UInt8], protocolNumber: UInt8 = 17) -> [UInt8] {
        let total = UInt16(20 + udp.count)
        return [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 1, 0x40, 0, 64, protocolNumber, 0, 0,
                192, 168, 1, 2, 192, 168, 1, 1] + udp
    }

    static func ipv6(_ udp: [UInt8]) -> [UInt8] {
        let length = UInt16(udp.count)
        return [0x60, 0, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), 17, 64]
            + Array(repeating: 0, count: 15) + [1] + Array(repeating: 0, count: 15) + [2] + udp
    }

    static func ethernet(_ ip: [UInt8], type: UInt16 = 0x0800) -> [UInt8] {
        Array(repeating: 0xFF, count: 6) + [2, 0, 0, 0, 0, 1] + [UInt8(type >> 8), UInt8(type & 0xFF)] + ip
    }

    static func sll(_ ip: [UInt8]) -> [UInt8] {
        [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00] + ip
    }

    func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pcap-\(UUID().uuidString).pcap").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func envelopeOverUDPDecodes() throws {
        let envelope = TestFrames.envelope(TestFrames.csi(device: "esp32-a", sequence: 7))
        let batch = TestFrames.batch([TestFrames.csi(sequence: 8, receiveTime: 99), TestFrames.csi(sequence: 9)])
        let arp = Self.ethernet(Array(repeating: 0, count: 28), type: 0x0806)
        let dns = Self.ethernet(Self.ipv4(Self.udp([1, 2, 3, 4, 5], dst: 53)))
        let path = try write(Self.pcap(linkType: 1, [
            (1_700_000_000, 5, Self.ethernet(Self.ipv4(Self.udp(envelope, dst: 7070)))),
            (1_700_000_001, 0, arp),
            (1_700_000_001, 1, dns),
            (1_700_000_002, 6, Self.ethernet(Self.ipv6(Self.udp(batch, dst: 7070)), type: 0x86DD)),
        ]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (frames, malformed, reader) = try NexmonTestData.readAll(path)
        #expect(malformed.isEmpty)
        #expect(frames.map(\.sequence) == [7, 8, 9])
        #expect(frames.map(\.device) == ["esp32-a", "esp32-a", "esp32-a"])
        #expect(frames.map(\.timestamp) == [1_700_000_000_000_005, 99, 1_700_000_002_000_006])
        #expect(reader.skippedPackets == 2)
        #expect(reader.formatName == "pcap")
        #expect(reader.problem == nil)
    }

    @Test func nexmonOverCookedAndRawIP() throws {
        let nexmon = NexmonDecoderTests.payload(legacy: false)
        for (linkType, packet) in [(UInt32(113), Self.sll(Self.ipv4(Self.udp(nexmon, src: 5500, dst: 5500)))),
                                   (UInt32(101), Self.ipv4(Self.udp(nexmon, dst: 5500)))] {
            let path = try write(Self.pcap(linkType: linkType, [(10, 20, packet)]))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let (frames, malformed, reader) = try NexmonTestData.readAll(path)
            #expect(malformed.isEmpty)
            #expect(frames.count == 1 && frames.first?.timestamp == 10_000_020)
            #expect(reader.formatName == "nexmon pcap")
        }
    }

    @Test func pcapngDecodes() throws {
        let nexmon = NexmonDecoderTests.payload(legacy: true, chip: 0x0001)
        let envelope = TestFrames.envelope(TestFrames.csi(sequence: 3))
        let file = Self.pcapng(linkType: 1, [
            (1_600_000_000_123_456, Self.ethernet(Self.ipv4(Self.udp(nexmon, src: 5500, dst: 5500)))),
            (1_600_000_001_000_000, Self.ethernet(Self.ipv4(Self.udp(envelope, dst: 7070)))),
        ])
        #expect(PcapCaptureReader.matches(prefix: file))
        let path = try write(file)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (frames, malformed, reader) = try NexmonTestData.readAll(path)
        #expect(malformed.isEmpty)
        #expect(frames.map(\.timestamp) == [1_600_000_000_123_456, 1_600_000_001_000_000])
        #expect(frames.map(\.device) == ["aa:bb:cc:01:02:03", "esp32-a"])
        #expect(reader.problem == nil)
    }

    @Test func truncatedHeadersAreMalformed() throws {
        let nexmon = NexmonDecoderTests.payload(legacy: false)
        let full = Self.ethernet(Self.ipv4(Self.udp(nexmon, dst: 5500)))
        let path = try write(Self.pcap(linkType: 1, [
            (1, 0, Array(full.prefix(30))),   // IPv4 header cut
            (2, 0, Array(full.prefix(38))),   // UDP header cut
            (3, 0, Array(full.prefix(200))),  // UDP payload shorter than its length
            (4, 0, Self.ethernet(Self.ipv4(Self.udp(Array(nexmon.prefix(100)), dst: 5500)))),  // short CSI
            (5, 0, full),
        ]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (frames, malformed, _) = try NexmonTestData.readAll(path)
        #expect(frames.count == 1)
        #expect(malformed.count == 4)
        let name = (path as NSString).lastPathComponent
        #expect(malformed.first?.description.hasPrefix("\(name): packet 1: IPv4 header cut short") == true)
        #expect(malformed.last?.description.contains("packet 4") == true)
    }

    @Test func cutFileSetsProblem() throws {
        let nexmon = NexmonDecoderTests.payload(legacy: false)
        let file = Self.pcap(linkType: 1, [(1, 0, Self.ethernet(Self.ipv4(Self.udp(nexmon, dst: 5500)))),
                                           (2, 0, Self.ethernet(Self.ipv4(Self.udp(nexmon, dst: 5500))))])
        let path = try write(Array(file.dropLast(50)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (frames, _, reader) = try NexmonTestData.readAll(path)
        #expect(frames.count == 1)
        #expect(reader.problem?.contains(path) == true)
    }

    @Test func openErrorsNameTheFile() throws {
        let path = try write(Array("not a capture at all".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try PcapCaptureReader(path: path) } throws: { error in
            (error as? GatewayError)?.message.contains(path) == true
        }
        #expect(throws: GatewayError.self) { try PcapCaptureReader(path: "/nonexistent/x.pcap") }
    }

    @Test func magicNumbers() {
        #expect(PcapCaptureReader.matches(prefix: [0xD4, 0xC3, 0xB2, 0xA1, 2, 0]))
        #expect(PcapCaptureReader.matches(prefix: [0xA1, 0xB2, 0xC3, 0xD4]))
        #expect(PcapCaptureReader.matches(prefix: [0x4D, 0x3C, 0xB2, 0xA1]))
        #expect(PcapCaptureReader.matches(prefix: [0x0A, 0x0D, 0x0D, 0x0A, 0, 0]))
        #expect(!PcapCaptureReader.matches(prefix: Array("SGWCAP1\n".utf8)))
        #expect(!PcapCaptureReader.matches(prefix: [0xD4, 0xC3]))
    }

    /// Random link-layer bytes and truncations of real packets never crash the UDP parser.
    @Test func udpParserFuzz() {
        var random = SplitMix(seed: 17)
        let seeds: [(Int32, [UInt8])] = [
            (1, Self.ethernet(Self.ipv4(Self.udp([1, 2, 3], dst: 5500)))),
            (1, Self.ethernet(Self.ipv6(Self.udp([1, 2, 3], dst: 5500)), type: 0x86DD)),
            (113, Self.sll(Self.ipv4(Self.udp([9], dst: 1)))),
            (101, Self.ipv6(Self.udp([], dst: 1))),
            (0, [2, 0, 0, 0] + Self.ipv4(Self.udp([7], dst: 2))),
        ]
        var found = 0
        for round in 0..<20_000 {
            let (linkType, seed) = seeds[round % seeds.count]
            var bytes = Array(seed.prefix(Int.random(in: 0...seed.count, using: &random)))
            for _ in 0..<Int.random(in: 0..<3, using: &random) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if let datagram = try? PcapUDP.datagram(linkType: linkType, bytes: bytes) {
                found += 1
                #expect(datagram.payload.upperBound <= bytes.count)
            }
        }
        #expect(found > 0)
    }
}
