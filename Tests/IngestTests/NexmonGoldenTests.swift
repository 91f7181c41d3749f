import Foundation
import GatewayCore
import Ingest
import Testing

/// The real Nexmon captures against values computed by nexcsi/CSIKit (Tools/golden-nexmon.py).
@Suite struct NexmonGoldenTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var fixture: String
        /// UDP packets = CSI frames (one per core/stream), as SOURCES.md counts them.
        var frames: Int
        var bandwidth: Bandwidth
        var channel: UInt16
        var invalid: [Int]
        var testDescription: String { fixture }
    }

    static let cases: [Case] = [
        Case(fixture: "example_4339", frames: 2850, bandwidth: .mhz80, channel: 42, invalid: []),
        Case(fixture: "example_43455c0", frames: 566, bandwidth: .mhz80, channel: 42, invalid: [0, 1, 2]),
        Case(fixture: "example_4366c0", frames: 293, bandwidth: .mhz80, channel: 106, invalid: []),
        Case(fixture: "example_bcm4358_80mhz", frames: 4, bandwidth: .mhz80, channel: 155, invalid: []),
        Case(fixture: "rpi4_bcm43455c0_csi", frames: 10532, bandwidth: .mhz20, channel: 36, invalid: [28, 29, 30]),
    ]

    @Test(arguments: cases) func matchesGolden(_ test: Case) throws {
        let golden = try NexmonTestData.golden(test.fixture)
        let path = try NexmonTestData.capture(golden.file)
        let (frames, malformed, reader) = try NexmonTestData.readAll(path)
        #expect(malformed.isEmpty, "\(malformed.prefix(3))")
        #expect(reader.problem == nil)
        #expect(reader.formatName == "nexmon pcap")
        #expect(reader.position == reader.size && reader.size > 0)
        #expect(frames.count == test.frames)
        #expect(frames.count == golden.frame_count)
        for frame in frames {
            #expect(frame.bandwidth == test.bandwidth && frame.channel == test.channel && frame.layout == .fft)
            #expect(frame.subcarrierCount == golden.subcarriers)
            #expect(frame.invalidSubcarriers == test.invalid)
        }
        for expected in golden.frames {
            let frame = frames[expected.index]
            let suffix = expected.core == 0 && expected.spatial_stream == 0 ? "" : "/c\(expected.core)s\(expected.spatial_stream)"
            #expect(frame.device.rawValue == expected.mac + suffix)
            // Replay numbers each device's frames in capture order: 802.11 sequence numbers repeat.
            #expect(Int(frame.sequence) == frames[..<expected.index].filter { $0.device == frame.device }.count)
            #expect(frame.timestamp == expected.timestamp_us)
            #expect(Int(frame.rssi) == expected.rssi)
            #expect(NexmonChanspec(rawValue: UInt16(expected.chanspec)).bandwidth == frame.bandwidth)
            guard case .complex(let values) = frame.payload else {
                Issue.record("expected complex values")
                continue
            }
            // Every value is exactly representable in Float (int16, or m * 2^e with m < 2^11).
            let got = (0..<8).map { [Double(values[2 * $0]), Double(values[2 * $0 + 1])] }
            #expect(got == expected.first8, "frame \(expected.index) of \(test.fixture)")
        }
    }

    @Test func streamsAreSeparateSeries() throws {
        let path = try NexmonTestData.capture("csikit/nexmon/example_4339.pcap")
        let frames = try NexmonTestData.readAll(path).frames
        let counts = Dictionary(grouping: frames, by: \.device).mapValues(\.count)
        #expect(counts == ["11:22:33:44:55:66": 950, "11:22:33:44:55:66/c0s1": 950, "11:22:33:44:55:66/c0s2": 950])

        let nexus6p = try NexmonTestData.readAll(try NexmonTestData.capture("nexmon_csi/example_bcm4358_80mhz.pcap")).frames
        #expect(nexus6p.map(\.device.rawValue) == [
            "00:12:34:56:78:9b", "00:12:34:56:78:9b/c0s1", "00:12:34:56:78:9b/c1s0", "00:12:34:56:78:9b/c1s1",
        ])
        #expect(Set(nexus6p.map(\.sequence)).count == 1)
    }

    /// 18 packets of the 43455c0 file and 10 of the 20 MHz file carry 4 bytes of padding after the UDP datagram.
    @Test(arguments: [("csikit/nexmon/example_43455c0.pcap", 1088, 18), ("csi-sec-course/rpi4_bcm43455c0_csi.pcap", 320, 10)])
    func paddedPacketsDecode(file: String, paddedLength: Int, paddedCount: Int) throws {
        var packets = try PcapFileReader(path: try NexmonTestData.capture(file))
        let decoder = NexmonDecoder()
        var decoded = 0
        while let packet = try packets.next() {
            guard packet.bytes.count == paddedLength,
                  let udp = try PcapUDP.datagram(linkType: packet.linkType, bytes: packet.bytes) else { continue }
            // The 4 padding bytes lie past the UDP length (an Ethernet trailer): the reader's
            // payload ends at the UDP length, and the decoder also accepts them.
            let padded = Array(packet.bytes[udp.payload.lowerBound...])
            let payload = Array(packet.bytes[udp.payload])
            #expect(padded.count == payload.count + 4)
            let frame = try decoder.decode(padded, timestamp: packet.timestamp)
            #expect(frame == (try decoder.decode(payload, timestamp: packet.timestamp)))
            decoded += 1
        }
        #expect(decoded == paddedCount)
    }

    @Test func overwrittenBinsKeepTheirValues() throws {
        let path = try NexmonTestData.capture("csikit/nexmon/example_43455c0.pcap")
        let frame = try #require(NexmonTestData.readAll(path).frames.first)
        guard case .complex(let values) = frame.payload else { Issue.record("expected complex"); return }
        // PhyRxStatus words, listed as invalid but not zeroed.
        #expect(Array(values[0..<6]) == [14373, 0, -14848, -32640, 128, 0])
        #expect(frame.rssi == -58)
    }
}
