import Foundation
import GatewayCore
import SensingProto
import SwiftProtobuf

/// Turns the bytes of one datagram or message (a `sensing.v1.Envelope`) into frames.
///
/// Bytes are read in place by `EnvelopeWireDecoder` (the hot path); a test checks it against
/// swift-protobuf on random and mutated envelopes. Structural checks (size, schema version, device id, subcarrier counts for the layout) happen
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
        /// GaN power-amplifier frames (`GanPaFrame`), checked by `PAFrameChecks`.
        public var paFrames: [PAFrame] = []
        public var rejected: [MalformedReason] = []
    }

    /// Decodes `bytes`. `receivedAt` (Unix µs) stamps frames whose `receive_time_us` is 0.
    public func decode(_ bytes: [UInt8], receivedAt: Int64) -> Output {
        bytes.withUnsafeBytes { decode($0, receivedAt: receivedAt) }
    }

    /// Decodes borrowed bytes (a NIO buffer's readable bytes) without copying them first.
    public func decode(_ bytes: UnsafeRawBufferPointer, receivedAt: Int64) -> Output {
        var output = Output()
        guard bytes.count <= maxBytes else {
            output.rejected.append(.datagramTooLarge(bytes: bytes.count, limit: maxBytes))
            return output
        }
        let envelope: EnvelopeWireDecoder.Envelope
        do {
            envelope = try EnvelopeWireDecoder.envelope(bytes)
        } catch {
            output.rejected.append(.notAnEnvelope(bytes: bytes.count, detail: error.description))
            return output
        }
        guard envelope.schemaVersion <= 1 else {
            output.rejected.append(.unsupportedSchema(version: envelope.schemaVersion))
            return output
        }
        switch envelope.body {
        case .csi(let fields):
            append(fields, receivedAt: receivedAt, into: &output)
        case .batch(let frames):
            if frames.isEmpty { output.rejected.append(.emptyEnvelope) }
            for frame in frames {
                switch frame {
                case .csi(let fields): append(fields, receivedAt: receivedAt, into: &output)
                case .ganPa(let fields): append(fields, receivedAt: receivedAt, into: &output)
                case .none: output.rejected.append(.emptyEnvelope)
                }
            }
        case .ganPa(let fields):
            append(fields, receivedAt: receivedAt, into: &output)
        case .none:
            output.rejected.append(.emptyEnvelope)
        }
        return output
    }

    private func append(_ fields: CSIFields, receivedAt: Int64, into output: inout Output) {
        switch Self.validate(fields, receivedAt: receivedAt) {
        case .success(let frame): output.frames.append(frame)
        case .failure(let reason): output.rejected.append(reason)
        }
    }

    private func append(_ fields: PAFields, receivedAt: Int64, into output: inout Output) {
        switch PAFrameChecks.validate(fields, receivedAt: receivedAt) {
        case .success(let frame): output.paFrames.append(frame)
        case .failure(let reason): output.rejected.append(reason)
        }
    }

    /// Checks one swift-protobuf GaN PA frame and converts it.
    public static func convert(_ pb: PbGanPaFrame, receivedAt: Int64) -> Result<PAFrame, MalformedReason> {
        PAFrameChecks.validate(PAFields(pb), receivedAt: receivedAt)
    }

    /// Checks one swift-protobuf frame (from sources that already hold a message) and converts it.
    public static func convert(_ pb: PbCsiFrame, receivedAt: Int64) -> Result<CSIFrame, MalformedReason> {
        validate(CSIFields(pb), receivedAt: receivedAt)
    }

    /// The structural checks every CSI frame passes, whichever decoder read it.
    static func validate(_ f: CSIFields, receivedAt: Int64) -> Result<CSIFrame, MalformedReason> {
        let id = f.deviceID
        guard !id.isEmpty else { return .failure(.missingDeviceID) }
        guard id.utf8.count <= 64 else { return .failure(.deviceIDTooLong(length: id.utf8.count)) }
        let bandwidth = Bandwidth(PbBandwidth(rawValue: f.bandwidth) ?? .unspecified)
        let layout = SubcarrierLayout(PbSubcarrierLayout(rawValue: f.layout) ?? .unspecified)
        let payload: CSIPayload
        switch f.values {
        case .int8Pairs(let values):
            guard !values.isEmpty else { return .failure(.missingCSI(device: id)) }
            guard values.count % 2 == 0 else { return .failure(.oddPayloadLength(device: id, bytes: values.count)) }
            payload = .int8Pairs(values)
        case .complex(let values):
            guard !values.isEmpty else { return .failure(.missingCSI(device: id)) }
            guard values.count % 2 == 0 else { return .failure(.oddPayloadLength(device: id, bytes: values.count * 4)) }
            guard values.allSatisfy(\.isFinite) else { return .failure(.nonFiniteValue(device: id)) }
            payload = .complex(values)
        case .none:
            return .failure(.missingCSI(device: id))
        }
        let count = payload.subcarrierCount
        let expected = SubcarrierRules.allowedCounts(layout: layout, bandwidth: bandwidth)
        guard expected.contains(count) else {
            return .failure(.subcarrierCount(device: id, count: count, layout: layout.rawValue, expected: expected))
        }
        return .success(CSIFrame(
            device: DeviceID(id), sequence: f.sequence, timestamp: f.receiveTime != 0 ? f.receiveTime : receivedAt,
            deviceTimestamp: f.deviceTimestamp,
            rssi: Int16(clamping: f.rssi), noiseFloor: Int16(clamping: f.noiseFloor),
            channel: UInt16(clamping: f.channel), bandwidth: bandwidth, layout: layout,
            firstWordInvalid: f.firstWordInvalid,
            invalidSubcarriers: f.invalidSubcarriers.compactMap { $0 < count ? Int($0) : nil },
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
