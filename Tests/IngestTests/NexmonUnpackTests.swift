import TestPeers
import GatewayCore
@testable import Ingest
import Testing

/// The SIMD unpacking of Nexmon CSI values against the per-value formulas, on random words and
/// on counts that exercise both the eight-wide steps and the scalar tail.
@Suite struct NexmonUnpackTests {
    static let formats: [NexmonCSIFormat] = [
        .int16IQ, .int16QI, .packedFloat(mantissaBits: 9, exponentBits: 5), .packedFloat(mantissaBits: 12, exponentBits: 6),
    ]

    /// The value pair of one 4-byte word, computed one field at a time.
    static func reference(_ word: UInt32, _ format: NexmonCSIFormat) -> (Float, Float) {
        let low = Float(Int16(bitPattern: UInt16(word & 0xFFFF)))
        let high = Float(Int16(bitPattern: UInt16(word >> 16)))
        switch format {
        case .int16IQ: return (low, high)
        case .int16QI: return (high, low)
        case .packedFloat(let mantissaBits, let exponentBits):
            let pair = NexmonCSIFormat.unpackFloat(word, mantissaBits: mantissaBits, exponentBits: exponentBits)
            return (pair.real, pair.imag)
        }
    }

    @Test(arguments: formats)
    func simdMatchesPerValueFormula(format: NexmonCSIFormat) {
        var random = SplitMix(seed: 0xC51)
        for count in [0, 1, 7, 8, 9, 64, 67, 256] {
            // Random words, plus the extremes of each field.
            var words = (0..<count).map { _ in UInt32.random(in: .min ... .max, using: &random) }
            for (index, special) in [UInt32.max, 0, 0x8000_8000, 0x7FFF_7FFF].enumerated() where index < count {
                words[index] = special
            }
            var bytes: [UInt8] = [0xEE, 0xEE]  // an odd offset: the loads must not assume alignment
            for word in words { withUnsafeBytes(of: word.littleEndian) { bytes += $0 } }
            let values = bytes.withUnsafeBytes { format.unpack($0, offset: 2, count: count) }
            #expect(values.count == 2 * count)
            for (index, word) in words.enumerated() {
                let (real, imag) = Self.reference(word, format)
                // Bit patterns, so that -0.0 and 0.0 are told apart.
                #expect(values[2 * index].bitPattern == real.bitPattern, "\(format) word 0x\(String(word, radix: 16)) real")
                #expect(values[2 * index + 1].bitPattern == imag.bitPattern, "\(format) word 0x\(String(word, radix: 16)) imag")
            }
        }
    }

    @Test func streamsNameAndNumberPerMACCoreAndStream() throws {
        var streams = NexmonStreams(capacity: 2)
        let decoder = NexmonDecoder()
        func decode(css: UInt16, mac: UInt8 = 0x03) throws -> CSIFrame {
            var bytes = NexmonDecoderTests.payload(legacy: false, css: css)
            bytes[9] = mac
            return try bytes.withUnsafeBytes { raw in
                try decoder.decode(raw, timestamp: 0, streams: &streams)
            }
        }
        let first = try decode(css: 0)
        let second = try decode(css: 0)
        let otherStream = try decode(css: 0x0009)  // core 1, spatial stream 1
        #expect([first.sequence, second.sequence, otherStream.sequence] == [0, 1, 0])
        #expect(first.device == "aa:bb:cc:01:02:03")
        #expect(otherStream.device == "aa:bb:cc:01:02:03/c1s1")
        // Beyond capacity: named, numbered 0, not remembered.
        let third = try decode(css: 0, mac: 0x04)
        let thirdAgain = try decode(css: 0, mac: 0x04)
        #expect(third.device == "aa:bb:cc:01:02:04")
        #expect([third.sequence, thirdAgain.sequence] == [0, 0])
        #expect(streams.count == 2)
        #expect(try decode(css: 0).sequence == 2)
    }
}
