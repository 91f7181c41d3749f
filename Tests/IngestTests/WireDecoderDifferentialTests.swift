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
    static func reference(_ bytes: [UInt8]) -> (frames: [CSIFrame], paFrames: [PAFrame], labels: [String])? {
        guard let envelope = try? PbEnvelope(serializedBytes: bytes) else { return nil }
        var frames: [CSIFrame] = []
        var paFrames: [PAFrame] = []
        var labels: [String] = []
        func add(_ pb: PbCsiFrame) {
            switch EnvelopeDecoder.convert(pb, receivedAt: 5) {
            case .success(let frame): frames.append(frame)
            case .failure(let reason): labels.append(reason.label)
            }
        }
        func add(_ pb: PbGanPaFrame) {
            switch EnvelopeDecoder.convert(pb, receivedAt: 5) {
            case .success(let frame): paFrames.append(frame)
            case .failure(let reason): labels.append(reason.label)
            }
        }
        guard envelope.schemaVersion <= 1 else { return ([], [], ["schema_version"]) }
        switch envelope.body {
        case .csi(let frame): add(frame)
        case .batch(let batch):
            if batch.frames.isEmpty { labels.append("empty_envelope") }
            for item in batch.frames {
                switch item.kind {
                case .csi(let frame): add(frame)
                case .ganPa(let frame): add(frame)
                case nil: labels.append("empty_envelope")
                }
            }
        case .ganPa(let frame): add(frame)
        case nil: labels.append("empty_envelope")
        }
        return (frames, paFrames, labels)
    }

    /// A PA frame that is usually valid and sometimes breaks one rule (count, NaN, range, Γ > 1).
    static func randomPAFrame(_ rng: inout SplitMix) -> PbGanPaFrame {
        var frame = PbGanPaFrame()
        frame.deviceID = ["pa-1", "", "gan-node"].randomElement(using: &rng) ?? "pa"
        frame.sequence = UInt32.random(in: 0...UInt32.max, using: &rng)
        frame.deviceTimestampUs = UInt64.random(in: 0...UInt64.max, using: &rng)
        frame.receiveTimeUs = Bool.random(using: &rng) ? 0 : Int64.random(in: 1...Int64.max, using: &rng)
        frame.centerFrequencyHz = [2.437e9, 5.18e9, 0, .nan].randomElement(using: &rng) ?? 2.4e9
        frame.sampleRateHz = [40e6, 80e6, -1].randomElement(using: &rng) ?? 40e6
        let samples = [16, 64, 1024].randomElement(using: &rng) ?? 16
        frame.sampleCount = UInt32(samples + [0, 0, 0, 1].randomElement(using: &rng)!)
        frame.iqInt16 = Data((0..<(samples * 4 + [0, 0, 0, 2].randomElement(using: &rng)!)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        frame.iqFullScaleDbm = Float.random(in: 0...30, using: &rng)
        frame.inputPowerDbm = Float.random(in: -10...20, using: &rng)
        frame.forwardPowerDbm = Float.random(in: 20...40, using: &rng)
        frame.reflectedPowerDbm = frame.forwardPowerDbm - [10, 20, -3].randomElement(using: &rng)!
        frame.drainVoltageV = [28, -1].randomElement(using: &rng)!
        frame.drainCurrentA = Float.random(in: 0...2, using: &rng)
        frame.temperatureC = [45, .infinity, 400].randomElement(using: &rng)!
        frame.gainDb = [0, 14.5].randomElement(using: &rng)!
        return frame
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

    func fast(_ bytes: [UInt8]) -> (frames: [CSIFrame], paFrames: [PAFrame], labels: [String]) {
        let out = EnvelopeDecoder().decode(bytes, receivedAt: 5)
        return (out.frames, out.paFrames, out.rejected.map(\.label))
    }

    @Test func agreesOnRandomValidEnvelopes() throws {
        var rng = SplitMix(seed: 20261121)
        for _ in 0..<2_000 {
            var envelope = PbEnvelope()
            envelope.schemaVersion = UInt32.random(in: 0...1, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: envelope.csi = Self.randomFrame(&rng)
            case 1: envelope.ganPa = Self.randomPAFrame(&rng)
            default:
                var batch = PbFrameBatch()
                batch.frames = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    var f = PbFrame()
                    if Bool.random(using: &rng) { f.csi = Self.randomFrame(&rng) } else { f.ganPa = Self.randomPAFrame(&rng) }
                    return f
                }
                envelope.batch = batch
            }
            let bytes: [UInt8] = try envelope.serializedBytes()
            let expected = try #require(Self.reference(bytes))
            let got = fast(bytes)
            #expect(got.frames == expected.frames)
            #expect(got.paFrames == expected.paFrames)
            #expect(got.labels == expected.labels)
        }
    }

    @Test func agreesOnMutatedEnvelopes() throws {
        var rng = SplitMix(seed: 20261121)
        var bothParsed = 0
        for _ in 0..<20_000 {
            var envelope = PbEnvelope()
            envelope.schemaVersion = 1
            if Bool.random(using: &rng) { envelope.csi = Self.randomFrame(&rng) } else { envelope.ganPa = Self.randomPAFrame(&rng) }
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
            #expect(got.paFrames == expected.paFrames, "\(bytes)")
            #expect(got.labels == expected.labels, "\(bytes)")
        }
        #expect(bothParsed > 100)
    }
}
