import TestPeers
import Foundation
import GatewayCore
@testable import Ingest
import SensingProto
import SwiftProtobuf
import Testing

/// The in-place wire decoder must read envelopes exactly as swift-protobuf does.
@Suite struct WireDecoderDifferentialTests {
    /// The reference: swift-protobuf's decoding plus the same validation.
    static func reference(_ bytes: [UInt8]) -> (frames: [CSIFrame], labels: [String])? {
        guard let envelope = try? PbEnvelope(serializedBytes: bytes) else { return nil }
        var frames: [CSIFrame] = []
        var labels: [String] = []
        func add(_ pb: PbCsiFrame) {
            switch EnvelopeDecoder.convert(pb, receivedAt: 5) {
            case .success(let frame): frames.append(frame)
            case .failure(let reason): labels.append(reason.label)
            }
        }
        guard envelope.schemaVersion <= 1 else { return ([], ["schema_version"]) }
        switch envelope.body {
        case .csi(let frame): add(frame)
        case .batch(let batch):
            if batch.frames.isEmpty { labels.append("empty_envelope") }
            for item in batch.frames {
                switch item.kind {
                case .csi(let frame): add(frame)
                case .ganPa: labels.append("unsupported_kind")
                case nil: labels.append("empty_envelope")
                }
            }
        case .ganPa: labels.append("unsupported_kind")
        case nil: labels.append("empty_envelope")
        }
        return (frames, labels)
    }

    static func randomFrame(_ rng: inout SplitMix) -> PbCsiFrame {
        var frame = PbCsiFrame()
        frame.deviceID = ["esp32-a", "n", "ünïcode-node", String(repeating: "x", count: Int.random(in: 60...70, using: &rng))].randomElement(using: &rng) ?? "a"
        frame.sequence = UInt32.random(in: 0...UInt32.max, using: &rng)
        frame.deviceTimestampUs = UInt32.random(in: 0...UInt32.max, using: &rng)
        frame.receiveTimeUs = Bool.random(using: &rng) ? 0 : Int64.random(in: -10...Int64.max, using: &rng)
        frame.rssiDbm = Int32.random(in: -100...0, using: &rng)
        frame.noiseFloorDbm = Int32.random(in: Int32.min...Int32.max, using: &rng)
        frame.channel = UInt32.random(in: 0...200, using: &rng)
        frame.bandwidth = PbBandwidth(rawValue: Int.random(in: 0...5, using: &rng)) ?? .unspecified
        frame.layout = PbSubcarrierLayout(rawValue: Int.random(in: 0...6, using: &rng)) ?? .unspecified
        frame.firstWordInvalid = Bool.random(using: &rng)
        frame.sourceMac = Data([1, 2, 3, 4, 5, 6])
        frame.signalMode = 1
        frame.invalidSubcarriers = (0..<Int.random(in: 0...3, using: &rng)).map { _ in UInt32.random(in: 0...300, using: &rng) }
        let pairs = [64, 128, 192, 256, 320, 63].randomElement(using: &rng) ?? 64
        if Bool.random(using: &rng) {
            frame.int8Pairs = Data((0..<(pairs * 2)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        } else {
            var c = PbComplexFloats()
            c.values = (0..<(pairs * 2)).map { _ in Float.random(in: -1000...1000, using: &rng) }
            frame.complex = c
        }
        return frame
    }

    func fast(_ bytes: [UInt8]) -> (frames: [CSIFrame], labels: [String]) {
        let out = EnvelopeDecoder().decode(bytes, receivedAt: 5)
        return (out.frames, out.rejected.map(\.label))
    }

    @Test func agreesOnRandomValidEnvelopes() throws {
        var rng = SplitMix(seed: 20261121)
        for _ in 0..<2_000 {
            var envelope = PbEnvelope()
            envelope.schemaVersion = UInt32.random(in: 0...1, using: &rng)
            if Bool.random(using: &rng) {
                envelope.csi = Self.randomFrame(&rng)
            } else {
                var batch = PbFrameBatch()
                batch.frames = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    var f = PbFrame()
                    f.csi = Self.randomFrame(&rng)
                    return f
                }
                envelope.batch = batch
            }
            let bytes: [UInt8] = try envelope.serializedBytes()
            let expected = try #require(Self.reference(bytes))
            let got = fast(bytes)
            #expect(got.frames == expected.frames)
            #expect(got.labels == expected.labels)
        }
    }

    @Test func agreesOnMutatedEnvelopes() throws {
        var rng = SplitMix(seed: 20261121)
        var bothParsed = 0
        for _ in 0..<20_000 {
            var envelope = PbEnvelope()
            envelope.schemaVersion = 1
            envelope.csi = Self.randomFrame(&rng)
            var bytes: [UInt8] = try envelope.serializedBytes()
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0..<min(8, bytes.count), using: &rng)) }
            let got = fast(bytes)
            guard let expected = Self.reference(bytes) else {
                // swift-protobuf refused the bytes: so must we.
                #expect(got.frames.isEmpty && got.labels.first == "not_protobuf", "accepted bytes swift-protobuf rejects: \(bytes)")
                continue
            }
            bothParsed += 1
            #expect(got.frames == expected.frames, "\(bytes)")
            #expect(got.labels == expected.labels, "\(bytes)")
        }
        #expect(bothParsed > 100)
    }
}
