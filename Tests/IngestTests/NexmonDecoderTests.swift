import TestPeers
import GatewayCore
import Ingest
import Testing

@Suite struct NexmonDecoderTests {
    /// A payload with the given header fields and `count` int16 (I, Q) = (index, -index) values.
    static func payload(legacy: Bool, rssi: Int8 = -40, css: UInt16 = 0, chanspec: UInt16 = 0xD024,
                        chip: UInt16 = 0x0065, count: Int = 64, seqControl: UInt16 = 0x1230) -> [UInt8] {
        var bytes: [UInt8] = legacy ? [0x11, 0x11, 0x11, 0x11] : [0x11, 0x11, UInt8(bitPattern: rssi), 0x88]
        bytes += [0xAA, 0xBB, 0xCC, 0x01, 0x02, 0x03]
        for field in [seqControl, css, chanspec, chip] { bytes += [UInt8(field & 0xFF), UInt8(field >> 8)] }
        for index in 0..<count {
            let i = Int16(index), q = -Int16(index)
            bytes += [UInt8(truncatingIfNeeded: i), UInt8(truncatingIfNeeded: i >> 8),
                      UInt8(truncatingIfNeeded: q), UInt8(truncatingIfNeeded: q >> 8)]
        }
        return bytes
    }

    @Test func currentHeader() throws {
        let frame = try NexmonDecoder().decode(Self.payload(legacy: false, css: 0x0019), timestamp: 42)
        #expect(frame.device == "aa:bb:cc:01:02:03/c1s3")
        #expect(frame.rssi == -40)
        #expect(frame.sequence == 0x123)
        #expect(frame.timestamp == 42)
        #expect(frame.channel == 36 && frame.bandwidth == .mhz20 && frame.layout == .fft)
        #expect(frame.invalidSubcarriers == [28, 29, 30])
        #expect(frame.payload == .complex((0..<64).flatMap { [Float($0), -Float($0)] }))
    }

    @Test func legacyHeaderHasNoRSSI() throws {
        let bytes = Self.payload(legacy: true, chip: 0x0001)
        let header = try bytes.withUnsafeBytes { raw in try Result { () throws(NexmonDecoder.Failure) in try NexmonDecoder.header(raw) }.get() }
        #expect(header.legacy && header.rssi == 0 && header.frameControl == 0)
        let frame = try NexmonDecoder().decode(bytes, timestamp: 0)
        #expect(frame.rssi == 0 && frame.device == "aa:bb:cc:01:02:03")
        // bcm4339 sends Q first: the pair on the wire (index, -index) is (imag, real).
        #expect(frame.payload == .complex((0..<64).flatMap { [-Float($0), Float($0)] }))
        #expect(frame.invalidSubcarriers.isEmpty)
    }

    @Test func chanspecFields() {
        let spec = NexmonChanspec(rawValue: 0xE29B)
        #expect(spec.channel == 155 && spec.bandwidth == .mhz80 && spec.band == .ghz5 && spec.subcarrierCount == 256)
        #expect(NexmonChanspec(rawValue: 0x1006).band == .ghz2_4)
        #expect(NexmonChanspec(rawValue: 0x1806).bandwidth == .mhz40)
        #expect(NexmonChanspec(rawValue: 0xE832).bandwidth == .mhz160)
        #expect(NexmonChanspec(rawValue: 0xF02A).bandwidth == nil)
        #expect(spec.description == "0xe29b (ch 155, 80MHz, 5GHz)")
    }

    @Test func bandwidthChangesPerPacket() throws {
        let decoder = NexmonDecoder()
        let narrow = try decoder.decode(Self.payload(legacy: false, chanspec: 0xD024, count: 64), timestamp: 0)
        let wide = try decoder.decode(Self.payload(legacy: false, chanspec: 0xD826, count: 128), timestamp: 1)
        #expect(narrow.bandwidth == .mhz20 && narrow.subcarrierCount == 64)
        #expect(wide.bandwidth == .mhz40 && wide.subcarrierCount == 128)
    }

    @Test func packedFloatKeepsAbsoluteScale() {
        // bcm4366c0 (12/6): I = -5, Q = +3, exponent -17.
        let word = UInt32(1) << 29 | 5 << 18 | 3 << 6 | UInt32(64 - 17)
        let values = packedValues(word, chip: 0x006A)
        #expect(values == [-5 * 0x1p-17, 3 * 0x1p-17])
        // bcm4358 (9/5): I = 255, Q = -1, exponent -6.
        let small = UInt32(255) << 14 | 1 << 13 | 1 << 5 | UInt32(32 - 6)
        #expect(packedValues(small, chip: 0xDEAD) == [255 * 0x1p-6, -1 * 0x1p-6])
    }

    private func packedValues(_ word: UInt32, chip: UInt16) -> [Float] {
        var bytes = Self.payload(legacy: true, chanspec: 0xD024, chip: chip, count: 0)
        for _ in 0..<64 { bytes += [UInt8(word & 0xFF), UInt8((word >> 8) & 0xFF), UInt8((word >> 16) & 0xFF), UInt8(word >> 24)] }
        guard let frame = try? NexmonDecoder().decode(bytes, timestamp: 0), case .complex(let values) = frame.payload else { return [] }
        return Array(values.prefix(2))
    }

    @Test func rejectsWithReasons() {
        let decoder = NexmonDecoder()
        #expect(throws: NexmonDecoder.Failure.self) { try decoder.decode([0x11, 0x11, 0], timestamp: 0) }
        #expect(throws: NexmonDecoder.Failure.self) { try decoder.decode(Array(repeating: 0, count: 300), timestamp: 0) }
        #expect(throws: NexmonDecoder.Failure.self) { try decoder.decode(Self.payload(legacy: false, chip: 0x4242), timestamp: 0) }
        #expect(throws: NexmonDecoder.Failure.self) { try decoder.decode(Self.payload(legacy: false, chanspec: 0xF024), timestamp: 0) }
        do {
            _ = try decoder.decode(Array(Self.payload(legacy: false).dropLast(1)), timestamp: 0)
            Issue.record("a cut CSI block decoded")
        } catch {
            #expect(error.detail.contains("shorter than the 274 bytes"))
        }
    }

    /// Random, truncated and bit-flipped payloads never crash; they decode or throw.
    @Test func fuzzNeverCrashes() {
        var random = SplitMix(seed: 0x5500)
        let decoder = NexmonDecoder()
        let seeds = [Self.payload(legacy: false), Self.payload(legacy: true, chip: 0x006A),
                     Self.payload(legacy: true, chanspec: 0xE02A, chip: 0x0003, count: 256)]
        var decoded = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 4 == 0 {
                bytes = (0..<Int.random(in: 0..<1200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                if bytes.count >= 2, round % 8 == 0 { bytes[0] = 0x11; bytes[1] = 0x11 }
            } else {
                bytes = seeds[round % seeds.count]
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
                for _ in 0..<Int.random(in: 0..<4, using: &random) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
                }
            }
            if let frame = try? decoder.decode(bytes, timestamp: 0) {
                decoded += 1
                #expect(frame.subcarrierCount * 4 + 18 <= bytes.count)
            }
        }
        #expect(decoded > 0)
    }
}
