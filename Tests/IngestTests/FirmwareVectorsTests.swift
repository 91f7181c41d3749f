import Foundation
import GatewayCore
import Ingest
import SensingProto
import SwiftProtobuf
import Testing

/// Cross-language vectors shared with the ESP32 firmware (Firmware/test_host, test_vectors):
///
/// - `vectors/c/*.bin` are envelopes the firmware's C code (csi_core + protobuf-c) encoded from
///   known captures; `vectors/vectors.json` describes each capture and the frame it must become.
///   Here the gateway's real decoder (`EnvelopeDecoder`) and swift-protobuf read them, field by field.
/// - `vectors/swift/*.bin` are the same frames encoded by swift-protobuf here; they must equal the
///   committed files, and the C test decodes them field by field.
///
/// Regenerate after a deliberate change: `FIRMWARE_VECTORS_UPDATE=1` for both the C test and this
/// suite (`make firmware-vectors` does both, see Firmware/README.md).
@Suite(.serialized) struct FirmwareVectorsTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Firmware/test_host/vectors")

    static var updating: Bool { ProcessInfo.processInfo.environment["FIRMWARE_VECTORS_UPDATE"] == "1" }

    struct Description: Decodable {
        let schemaVersion: Int
        let vectors: [Vector]
    }

    struct Vector: Decodable {
        let name: String
        let body: String
        let encodedBytes: Int
        let frames: [Frame]
    }

    /// One expected `CsiFrame`, with the schema's field names.
    struct Frame: Decodable {
        let deviceId: String
        let sequence: UInt32
        let deviceTimestampUs: UInt32
        let deviceWallTimeUs: Int64
        let receiveTimeUs: Int64
        let rssiDbm: Int32
        let noiseFloorDbm: Int32
        let channel: UInt32
        let secondaryChannel: Int
        let bandwidth: Int
        let signalMode: UInt32
        let mcs: UInt32
        let antenna: UInt32
        let sourceMac: String
        let layout: Int
        let firstWordInvalid: Bool
        let agcGain: UInt32
        let fftGain: UInt32
        let invalidSubcarriers: [UInt32]
        let subcarriers: Int
        let int8Pairs: String
    }

    static func vectors() throws -> [Vector] {
        let data = try Data(contentsOf: directory.appendingPathComponent("vectors.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let description = try decoder.decode(Description.self, from: data)
        #expect(description.schemaVersion == 1)
        return description.vectors
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    static func file(_ side: String, _ name: String) -> URL {
        directory.appendingPathComponent(side).appendingPathComponent(name + ".bin")
    }

    /// The frame as swift-protobuf builds it from the description.
    static func message(_ f: Frame) -> PbCsiFrame {
        var m = PbCsiFrame()
        m.deviceID = f.deviceId
        m.sequence = f.sequence
        m.deviceTimestampUs = f.deviceTimestampUs
        m.deviceWallTimeUs = f.deviceWallTimeUs
        m.receiveTimeUs = f.receiveTimeUs
        m.rssiDbm = f.rssiDbm
        m.noiseFloorDbm = f.noiseFloorDbm
        m.channel = f.channel
        m.secondaryChannel = PbSecondaryChannel(rawValue: f.secondaryChannel)!
        m.bandwidth = PbBandwidth(rawValue: f.bandwidth)!
        m.signalMode = f.signalMode
        m.mcs = f.mcs
        m.antenna = f.antenna
        m.sourceMac = Data(bytes(f.sourceMac))
        m.layout = PbSubcarrierLayout(rawValue: f.layout)!
        m.firstWordInvalid = f.firstWordInvalid
        m.agcGain = f.agcGain
        m.fftGain = f.fftGain
        m.invalidSubcarriers = f.invalidSubcarriers
        m.int8Pairs = Data(bytes(f.int8Pairs))
        return m
    }

    static func envelope(_ v: Vector) -> PbEnvelope {
        var e = PbEnvelope()
        e.schemaVersion = 1
        if v.body == "csi" {
            e.csi = message(v.frames[0])
        } else {
            var batch = PbFrameBatch()
            batch.frames = v.frames.map { f in
                var frame = PbFrame()
                frame.csi = message(f)
                return frame
            }
            e.batch = batch
        }
        return e
    }

    @Test func vectorsCoverEveryLayoutAndChannelShape() throws {
        let vectors = try Self.vectors()
        let frames = vectors.flatMap(\.frames)
        #expect(vectors.count >= 6)
        #expect(Set(frames.map(\.layout)) == [1, 2, 3, 4])
        #expect(Set(frames.map(\.secondaryChannel)) == [0, 1, 2])
        #expect(Set(frames.map(\.bandwidth)) == [1, 2])
        #expect(frames.contains { $0.firstWordInvalid })
        #expect(frames.contains { !$0.invalidSubcarriers.isEmpty })
        #expect(vectors.contains { $0.body == "batch" && $0.frames.count > 1 })
    }

    /// The gateway's decoder accepts every C encoding and reads back every field it keeps.
    @Test func gatewayDecoderReadsTheFirmwaresEncodings() throws {
        let decoder = EnvelopeDecoder()
        for v in try Self.vectors() {
            let data = try Data(contentsOf: Self.file("c", v.name))
            #expect(data.count == v.encodedBytes, "\(v.name)")
            let out = decoder.decode([UInt8](data), receivedAt: 1_767_225_600_000_000)
            #expect(out.rejected.isEmpty, "\(v.name): \(out.rejected)")
            #expect(out.frames.count == v.frames.count, "\(v.name)")
            var validator = FrameValidator()
            for (frame, want) in zip(out.frames, v.frames) {
                #expect(frame.device == DeviceID(want.deviceId), "\(v.name)")
                #expect(frame.sequence == want.sequence, "\(v.name)")
                #expect(frame.timestamp == 1_767_225_600_000_000, "\(v.name): receive time 0 is stamped on arrival")
                #expect(frame.deviceTimestamp == want.deviceTimestampUs, "\(v.name)")
                #expect(Int32(frame.rssi) == want.rssiDbm, "\(v.name)")
                #expect(Int32(frame.noiseFloor) == want.noiseFloorDbm, "\(v.name)")
                #expect(UInt32(frame.channel) == want.channel, "\(v.name)")
                #expect(PbBandwidth(frame.bandwidth).rawValue == want.bandwidth, "\(v.name)")
                #expect(PbSubcarrierLayout(frame.layout).rawValue == want.layout, "\(v.name)")
                #expect(frame.firstWordInvalid == want.firstWordInvalid, "\(v.name)")
                #expect(frame.invalidSubcarriers == want.invalidSubcarriers.map { Int($0) }, "\(v.name)")
                #expect(frame.subcarrierCount == want.subcarriers, "\(v.name)")
                #expect(frame.payload == .int8Pairs(Self.bytes(want.int8Pairs).map { Int8(bitPattern: $0) }), "\(v.name)")
                // Consecutive sequence numbers, across the 2^32 wrap in the batch vector.
                let verdict = validator.check(device: frame.device, sequence: frame.sequence)
                #expect(verdict == .accept(lost: 0), "\(v.name): \(verdict)")
            }
        }
    }

    /// swift-protobuf reads every field of the C encodings, including those the pipeline skips
    /// (secondary channel, signal mode, MCS, antenna, source MAC, gains, wall-clock time).
    @Test func swiftProtobufReadsEveryFieldOfTheFirmwaresEncodings() throws {
        for v in try Self.vectors() {
            let data = try Data(contentsOf: Self.file("c", v.name))
            let decoded = try PbEnvelope(serializedBytes: data)
            #expect(decoded == Self.envelope(v), "\(v.name)")
            #expect(decoded.unknownFields.data.isEmpty, "\(v.name)")
        }
    }

    /// The Swift encodings equal the committed fixtures the C test decodes (rewritten with
    /// FIRMWARE_VECTORS_UPDATE=1), and equal the C encodings byte for byte.
    @Test func swiftEncodingsMatchTheCommittedFixtures() throws {
        for v in try Self.vectors() {
            let bytes: Data = try Self.envelope(v).serializedBytes()
            let url = Self.file("swift", v.name)
            if Self.updating {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try bytes.write(to: url)
            }
            let committed = try? Data(contentsOf: url)
            #expect(committed == bytes, "\(url.path) is stale or missing: regenerate the vectors (Firmware/README.md)")
            let c = try Data(contentsOf: Self.file("c", v.name))
            #expect(c == bytes, "\(v.name): swift-protobuf and protobuf-c encode differently")
        }
    }

    /// No fixture file without a description (a vector removed on one side only).
    @Test func everyFixtureFileIsDescribed() throws {
        let names = Set(try Self.vectors().map(\.name))
        for side in ["c", "swift"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.appendingPathComponent(side).path)
            let described = Set(files.filter { $0.hasSuffix(".bin") }.map { String($0.dropLast(4)) })
            #expect(described == names, "vectors/\(side) and vectors.json list different vectors")
        }
    }
}
