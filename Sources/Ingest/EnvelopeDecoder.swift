import Foundation
import GatewayCore
import SensingProto
import SwiftProtobuf

/// Turns the bytes of one datagram or message (a `sensing.v1.Envelope`) into frames.
///
/// Structural checks (size, schema version, device id, subcarrier counts for the layout) happen
/// here; per-device sequence checks happen in `FrameValidator`, which keeps state.
public struct EnvelopeDecoder: Sendable {
    /// Largest envelope accepted: a UDP datagram's payload limit.
    public var maxBytes: Int

    public init(maxBytes: Int = 65_507) {
        self.maxBytes = maxBytes
    }

    /// The outcome of decoding one envelope: the frames it held, and one reason per frame
    /// (or for the whole envelope) that was rejected.
    public struct Output: Sendable {
        public var frames: [CSIFrame] = []
        public var rejected: [MalformedReason] = []
    }

    /// Decodes `bytes`. `receivedAt` (Unix µs) stamps frames whose `receive_time_us` is 0.
    public func decode(_ bytes: [UInt8], receivedAt: Int64) -> Output {
        var output = Output()
        guard bytes.count <= maxBytes else {
            output.rejected.append(.datagramTooLarge(bytes: bytes.count, limit: maxBytes))
            return output
        }
        let envelope: PbEnvelope
        do {
            envelope = try PbEnvelope(serializedBytes: bytes)
        } catch {
            output.rejected.append(.notAnEnvelope(bytes: bytes.count, detail: "\(error)"))
            return output
        }
        decode(envelope, receivedAt: receivedAt, into: &output)
        return output
    }

    public func decode(_ envelope: PbEnvelope, receivedAt: Int64, into output: inout Output) {
        guard envelope.schemaVersion <= 1 else {
            output.rejected.append(.unsupportedSchema(version: envelope.schemaVersion))
            return
        }
        switch envelope.body {
        case .csi(let frame):
            append(frame, receivedAt: receivedAt, into: &output)
        case .batch(let batch):
            if batch.frames.isEmpty { output.rejected.append(.emptyEnvelope) }
            for item in batch.frames {
                switch item.kind {
                case .csi(let frame): append(frame, receivedAt: receivedAt, into: &output)
                case .ganPa: output.rejected.append(.unsupportedFrameKind(kind: "gan_pa"))
                case nil: output.rejected.append(.emptyEnvelope)
                }
            }
        case .ganPa:
            output.rejected.append(.unsupportedFrameKind(kind: "gan_pa"))
        case nil:
            output.rejected.append(.emptyEnvelope)
        }
    }

    private func append(_ frame: PbCsiFrame, receivedAt: Int64, into output: inout Output) {
        switch Self.convert(frame, receivedAt: receivedAt) {
        case .success(let converted): output.frames.append(converted)
        case .failure(let reason): output.rejected.append(reason)
        }
    }

    /// Checks one protobuf frame and converts it to the gateway's form.
    public static func convert(_ pb: PbCsiFrame, receivedAt: Int64) -> Result<CSIFrame, MalformedReason> {
        let id = pb.deviceID
        guard !id.isEmpty else { return .failure(.missingDeviceID) }
        guard id.utf8.count <= 64 else { return .failure(.deviceIDTooLong(length: id.utf8.count)) }
        let bandwidth = Bandwidth(pb.bandwidth)
        let layout = SubcarrierLayout(pb.layout)
        let payload: CSIPayload
        switch pb.csi {
        case .int8Pairs(let data):
            guard !data.isEmpty else { return .failure(.missingCSI(device: id)) }
            guard data.count % 2 == 0 else { return .failure(.oddPayloadLength(device: id, bytes: data.count)) }
            payload = .int8Pairs(data.withUnsafeBytes { Array($0.bindMemory(to: Int8.self)) })
        case .complex(let values):
            guard !values.values.isEmpty else { return .failure(.missingCSI(device: id)) }
            guard values.values.count % 2 == 0 else {
                return .failure(.oddPayloadLength(device: id, bytes: values.values.count * 4))
            }
            guard values.values.allSatisfy(\.isFinite) else { return .failure(.nonFiniteValue(device: id)) }
            payload = .complex(values.values)
        case nil:
            return .failure(.missingCSI(device: id))
        }
        let count = payload.subcarrierCount
        let expected = SubcarrierRules.allowedCounts(layout: layout, bandwidth: bandwidth)
        guard expected.contains(count) else {
            return .failure(.subcarrierCount(device: id, count: count, layout: layout.rawValue, expected: expected))
        }
        let timestamp = pb.receiveTimeUs != 0 ? pb.receiveTimeUs : receivedAt
        return .success(CSIFrame(
            device: DeviceID(id), sequence: pb.sequence, timestamp: timestamp,
            deviceTimestamp: pb.deviceTimestampUs,
            rssi: Int16(clamping: pb.rssiDbm), noiseFloor: Int16(clamping: pb.noiseFloorDbm),
            channel: UInt16(clamping: pb.channel), bandwidth: bandwidth, layout: layout,
            firstWordInvalid: pb.firstWordInvalid,
            invalidSubcarriers: pb.invalidSubcarriers.compactMap { $0 < count ? Int($0) : nil },
            payload: payload))
    }
}

extension Bandwidth {
    init(_ pb: PbBandwidth) {
        switch pb {
        case .bandwidth40Mhz: self = .mhz40
        case .bandwidth80Mhz: self = .mhz80
        case .bandwidth160Mhz: self = .mhz160
        default: self = .mhz20
        }
    }
}

extension PbBandwidth {
    public init(_ bandwidth: Bandwidth) {
        switch bandwidth {
        case .mhz20: self = .bandwidth20Mhz
        case .mhz40: self = .bandwidth40Mhz
        case .mhz80: self = .bandwidth80Mhz
        case .mhz160: self = .bandwidth160Mhz
        }
    }
}

extension SubcarrierLayout {
    init(_ pb: PbSubcarrierLayout) {
        switch pb {
        case .lltfHtLtf: self = .lltfHTLTF
        case .lltfHtLtfStbc: self = .lltfHTLTFSTBC
        case .htLtf: self = .htLTF
        case .fft: self = .fft
        default: self = .lltf
        }
    }
}

extension PbSubcarrierLayout {
    public init(_ layout: SubcarrierLayout) {
        switch layout {
        case .lltf: self = .lltf
        case .lltfHTLTF: self = .lltfHtLtf
        case .lltfHTLTFSTBC: self = .lltfHtLtfStbc
        case .htLTF: self = .htLtf
        case .fft: self = .fft
        }
    }
}
