import Foundation
import GatewayCore
import Ingest
import Testing

@Suite struct NPZReaderTests {
    @Test(arguments: ESP32TestData.npzFiles)
    func matchesGoldenValues(file: String) throws {
        let golden = try ESP32TestData.entry(file)
        let bytes = try ESP32TestData.bytes(file)
        #expect(NPZReader.matches(prefix: Array(bytes.prefix(4096))))
        var reader = try NPZReader(bytes: bytes, name: file)
        #expect(reader.chip == golden.chip && reader.label == golden.label)
        let (frames, malformed) = ESP32TestData.drain(&reader)
        #expect(malformed.isEmpty)
        #expect(frames.count == golden.frames)
        for sample in golden.samples {
            let frame = frames[sample.index]
            #expect(frame.device.rawValue == sample.mac)
            #expect(frame.subcarrierCount == sample.subcarriers && frame.layout == .lltf)
            #expect(frame.sequence == UInt32(sample.index))
            for (mine, theirs) in zip(ESP32TestData.amplitudes(frame), sample.amplitudes) {
                #expect(abs(mine - theirs) < 1e-4, "\(file) frame \(sample.index)")
            }
        }
        // Frames spread evenly over duration_ms from collected_at (read as UTC).
        let duration = try #require(golden.duration_ms)
        let first = try #require(frames.first), last = try #require(frames.last)
        let expectedSpan = duration * 1000 * Double(frames.count - 1) / Double(frames.count)
        #expect(abs(Double(last.timestamp - first.timestamp) - expectedSpan) <= 1)
        #expect(first.timestamp > 1_700_000_000_000_000)
        #expect(reader.position == reader.size)
    }

    @Test func timestampsAndMetadata() throws {
        let bytes = try ESP32TestData.bytes("espectre/baseline/baseline_c3_64sc_20260329_130303.npz")
        var reader = try NPZReader(bytes: bytes, name: "baseline_c3.npz")
        #expect(reader.collectedAt == "2026-03-29T13:03:03.633347")
        #expect(reader.startMicros == 1_774_789_383_633_347)
        #expect(reader.arrays["gain_locked"]?.scalarBool == true)
        #expect(reader.arrays["num_subcarriers"]?.scalarInt == 64)
        #expect(reader.arrays["format_version"]?.scalarString == "1.0")
        #expect(reader.frameCount == 1017)
        guard case .frames(let frames)? = reader.nextRecord(), let frame = frames.first else {
            Issue.record("no first frame")
            return
        }
        #expect(frame.timestamp == 1_774_789_383_633_347 && frame.device == "espectre-c3")
        #expect(frame.bandwidth == .mhz20 && !frame.firstWordInvalid)
    }

    @Test func npyHeaderParsing() throws {
        func npy(_ header: String, _ data: [UInt8], version: UInt8 = 1) -> [UInt8] {
            var text = Array(header.utf8)
            let lengthBytes = version == 1 ? 2 : 4
            while (10 + (lengthBytes - 2) + text.count + 1) % 64 != 0 { text.append(0x20) }
            text.append(0x0A)
            var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
            for k in 0..<lengthBytes { bytes.append(UInt8(truncatingIfNeeded: text.count >> (8 * k))) }
            return bytes + text + data
        }
        let i8 = try NPYArray(bytes: npy("{'descr': '<i1', 'fortran_order': False, 'shape': (2, 3), }", [1, 2, 3, 0xFF, 0x80, 0x7F]), name: "a")
        #expect(i8.shape == [2, 3] && i8.int8Values() == [1, 2, 3, -1, -128, 127])
        let i64 = try NPYArray(bytes: npy("{'descr': '<i8', 'fortran_order': False, 'shape': (), }", [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], version: 2), name: "b")
        #expect(i64.shape == [] && i64.scalarInt == -2)
        let f8 = try NPYArray(bytes: npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", withUnsafeBytes(of: (1.5).bitPattern.littleEndian, Array.init)), name: "c")
        #expect(f8.scalarDouble == 1.5)
        let u = try NPYArray(bytes: npy("{'descr': '<U3', 'fortran_order': False, 'shape': (), }", [0x63, 0, 0, 0, 0x33, 0, 0, 0, 0, 0, 0, 0]), name: "d")
        #expect(u.scalarString == "c3")
        let b = try NPYArray(bytes: npy("{'descr': '|b1', 'fortran_order': False, 'shape': (), }", [1]), name: "e")
        #expect(b.scalarBool == true)
        #expect(throws: GatewayError.self) { try NPYArray(bytes: npy("{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", [1, 2]), name: "short") }
        #expect(throws: GatewayError.self) { try NPYArray(bytes: Array("not numpy at all".utf8), name: "x") }
    }

    @Test func rejectsNonNPZ() {
        #expect(!NPZReader.matches(prefix: Array("CSI_DATA,".utf8)))
        #expect(throws: GatewayError.self) { try NPZReader(bytes: Array("PK\u{03}\u{04}garbage".utf8), name: "g.npz") }
    }
}
