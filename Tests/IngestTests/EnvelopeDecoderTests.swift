import TestPeers
import Foundation
import GatewayCore
import Ingest
import SensingProto
import Testing

@Suite struct EnvelopeDecoderTests {
    let decoder = EnvelopeDecoder()

    @Test func decodesOneFrameAndStampsReceiveTime() {
        let out = decoder.decode(TestFrames.envelope(TestFrames.csi(sequence: 9)), receivedAt: 1_000)
        #expect(out.rejected.isEmpty)
        #expect(out.frames.count == 1)
        let frame = out.frames[0]
        #expect(frame.device == "esp32-a")
        #expect(frame.sequence == 9)
        #expect(frame.timestamp == 1_000)
        #expect(frame.subcarrierCount == 64)
        #expect(frame.layout == .lltf)
        guard case .int8Pairs(let values) = frame.payload else {
            Issue.record("expected int8 pairs")
            return
        }
        // Byte 1 is 7 (UInt8) -> Int8 7; byte 37 is 259 truncated to 3.
        #expect(values[1] == 7)
        #expect(values[37] == Int8(truncatingIfNeeded: 37 * 7))
    }

    @Test func keepsTheSendersReceiveTimeWhenSet() {
        let out = decoder.decode(TestFrames.envelope(TestFrames.csi(receiveTime: 42)), receivedAt: 1_000)
        #expect(out.frames.first?.timestamp == 42)
    }

    @Test func decodesBatches() {
        let frames = (0..<5).map { TestFrames.csi(sequence: UInt32($0)) }
        let out = decoder.decode(TestFrames.batch(frames), receivedAt: 1)
        #expect(out.frames.map(\.sequence) == [0, 1, 2, 3, 4])
        #expect(out.rejected.isEmpty)
    }

    @Test func rejectsBadFramesInsideABatchButKeepsTheGoodOnes() {
        var bad = TestFrames.csi(sequence: 1)
        bad.int8Pairs = Data(repeating: 1, count: 100)
        let out = decoder.decode(TestFrames.batch([TestFrames.csi(sequence: 0), bad, TestFrames.csi(sequence: 2)]), receivedAt: 1)
        #expect(out.frames.map(\.sequence) == [0, 2])
        #expect(out.rejected.count == 1)
        #expect(out.rejected.first?.label == "subcarrier_count")
        #expect(out.rejected.first?.description.contains("esp32-a") == true)
    }

    @Test func rejectsGarbage() {
        let out = decoder.decode([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], receivedAt: 1)
        #expect(out.frames.isEmpty)
        #expect(out.rejected.first?.label == "not_protobuf")
    }

    @Test func rejectsEmptyEnvelope() {
        let out = decoder.decode([], receivedAt: 1)
        #expect(out.rejected == [.emptyEnvelope])
    }

    /// Each case breaks one rule; the label is the metrics reason the decoder must report.
    static func broken(_ label: String) -> PbCsiFrame {
        var f = TestFrames.csi()
        switch label {
        case "missing_device_id": f.deviceID = ""
        case "device_id_too_long": f.deviceID = String(repeating: "x", count: 65)
        case "odd_length": f.int8Pairs = Data(repeating: 0, count: 127)
        case "missing_csi": f.csi = nil
        case "subcarrier_count": f.layout = .lltfHtLtf
        case "non_finite":
            var c = PbComplexFloats()
            c.values = [Float](repeating: 1, count: 127) + [.nan]
            f.complex = c
        default: break
        }
        return f
    }

    @Test(arguments: ["missing_device_id", "device_id_too_long", "odd_length", "missing_csi", "subcarrier_count", "non_finite"])
    func rejectsInvalidFrames(label: String) {
        let out = decoder.decode(TestFrames.envelope(Self.broken(label)), receivedAt: 1)
        #expect(out.frames.isEmpty)
        #expect(out.rejected.map(\.label) == [label])
    }

    @Test func rejectsOversizeAndNewerSchema() {
        let small = EnvelopeDecoder(maxBytes: 100)
        #expect(small.decode(TestFrames.envelope(TestFrames.csi()), receivedAt: 1).rejected.first?.label == "too_large")
        var envelope = PbEnvelope(csi: TestFrames.csi())
        envelope.schemaVersion = 2
        let bytes: [UInt8] = (try? envelope.serializedBytes()) ?? []
        #expect(decoder.decode(bytes, receivedAt: 1).rejected.first?.label == "schema_version")
    }

    @Test func rejectsAnEmptyPAFrameForItsMissingDevice() {
        var envelope = PbEnvelope()
        envelope.ganPa = PbGanPaFrame()
        let bytes: [UInt8] = (try? envelope.serializedBytes()) ?? []
        #expect(decoder.decode(bytes, receivedAt: 1).rejected.first?.label == "missing_device_id")
    }

    @Test func layoutsAcceptTheirSizes() {
        let cases: [(PbSubcarrierLayout, PbBandwidth, Int)] = [
            (.lltf, .bandwidth20Mhz, 64), (.lltfHtLtf, .bandwidth20Mhz, 128), (.lltfHtLtf, .bandwidth40Mhz, 192),
            (.lltfHtLtfStbc, .bandwidth20Mhz, 192), (.lltfHtLtfStbc, .bandwidth40Mhz, 320), (.fft, .bandwidth80Mhz, 256),
        ]
        for (layout, bandwidth, pairs) in cases {
            var frame = TestFrames.csi(pairs: pairs, layout: layout)
            frame.bandwidth = bandwidth
            let out = decoder.decode(TestFrames.envelope(frame), receivedAt: 1)
            #expect(out.frames.count == 1, "\(layout) \(bandwidth) \(pairs)")
        }
    }

    @Test func randomAndTruncatedBytesNeverCrash() {
        var rng = SplitMix(seed: 20261121)
        let valid = TestFrames.batch((0..<4).map { TestFrames.csi(sequence: UInt32($0)) })
        for length in 0..<valid.count {
            _ = decoder.decode(Array(valid.prefix(length)), receivedAt: 1)
        }
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<600, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = decoder.decode(bytes, receivedAt: 1)
            // Flip bytes of a valid envelope too: structurally close inputs reach deeper code.
            bytes = valid
            for _ in 0..<3 { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = decoder.decode(bytes, receivedAt: 1)
        }
    }
}
