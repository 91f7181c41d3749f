/// Why an input was rejected. Each reason reads as a sentence naming the problem and the fix,
/// because it ends up in a log line a technician reads.
public enum MalformedReason: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnEnvelope(bytes: Int, detail: String)
    case emptyEnvelope
    case datagramTooLarge(bytes: Int, limit: Int)
    case unsupportedSchema(version: UInt32)
    case missingDeviceID
    case deviceIDTooLong(length: Int)
    case missingCSI(device: String)
    case oddPayloadLength(device: String, bytes: Int)
    case subcarrierCount(device: String, count: Int, layout: String, expected: [Int])
    case nonFiniteValue(device: String)
    case unsupportedFrameKind(kind: String)
    /// A GaN PA frame whose I/Q block does not hold `sample_count` int16 pairs.
    case paSampleCount(device: String, declared: UInt32, bytes: Int)
    /// A GaN PA frame with a NaN or infinite value in `field`.
    case paNonFinite(device: String, field: String)
    /// A GaN PA frame whose `field` is outside what a real amplifier can report.
    case paOutOfRange(device: String, field: String, value: Double, allowed: String)
    /// Reflected power above forward power: |Γ| > 1 is impossible for a passive load.
    case paReflectedAboveForward(device: String, forwardDbm: Float, reflectedDbm: Float)
    /// A record of a capture file or serial stream (a CSV line, a pcap packet) that could not be
    /// used; `location` names the file and line or packet number.
    case malformedRecord(location: String, detail: String)

    /// A short stable label for metrics (`reason` dimension).
    public var label: String {
        switch self {
        case .notAnEnvelope: return "not_protobuf"
        case .emptyEnvelope: return "empty_envelope"
        case .datagramTooLarge: return "too_large"
        case .unsupportedSchema: return "schema_version"
        case .missingDeviceID: return "missing_device_id"
        case .deviceIDTooLong: return "device_id_too_long"
        case .missingCSI: return "missing_csi"
        case .oddPayloadLength: return "odd_length"
        case .subcarrierCount: return "subcarrier_count"
        case .nonFiniteValue: return "non_finite"
        case .unsupportedFrameKind: return "unsupported_kind"
        case .paSampleCount: return "pa_sample_count"
        case .paNonFinite: return "pa_non_finite"
        case .paOutOfRange: return "pa_out_of_range"
        case .paReflectedAboveForward: return "pa_reflected_above_forward"
        case .malformedRecord: return "malformed_record"
        }
    }

    public var description: String {
        switch self {
        case .notAnEnvelope(let bytes, let detail):
            return "\(bytes)-byte datagram is not a sensing.v1.Envelope (\(detail)); check that the sender uses the schema in Protos/ and sends to the right port"
        case .emptyEnvelope:
            return "envelope carries no frame; the sender must set csi, gan_pa or batch"
        case .datagramTooLarge(let bytes, let limit):
            return "\(bytes)-byte input exceeds the \(limit)-byte limit; send smaller batches"
        case .unsupportedSchema(let version):
            return "schema_version \(version) is newer than this gateway understands (1); upgrade the gateway"
        case .missingDeviceID:
            return "frame has no device_id; configure a device id on the node"
        case .deviceIDTooLong(let length):
            return "device_id is \(length) bytes; the limit is 64"
        case .missingCSI(let device):
            return "frame from \(device) carries no CSI values"
        case .oddPayloadLength(let device, let bytes):
            return "frame from \(device) has \(bytes) CSI bytes; int8 pairs need an even count"
        case .subcarrierCount(let device, let count, let layout, let expected):
            return "frame from \(device) has \(count) subcarriers but layout \(layout) needs one of \(expected.map(String.init).joined(separator: ", ")); check the node's CSI configuration"
        case .nonFiniteValue(let device):
            return "frame from \(device) has a NaN or infinite CSI value"
        case .unsupportedFrameKind(let kind):
            return "\(kind) frames are not processed by this gateway version; they are counted and skipped"
        case .paSampleCount(let device, let declared, let bytes):
            return "GaN PA frame from \(device) declares sample_count \(declared) but iq_int16 holds \(bytes) bytes (4 per sample); check the node's I/Q capture length"
        case .paNonFinite(let device, let field):
            return "GaN PA frame from \(device) has a NaN or infinite \(field); check the node's PA telemetry readout"
        case .paOutOfRange(let device, let field, let value, let allowed):
            return "GaN PA frame from \(device) has \(field) = \(value), outside \(allowed); check the node's sensor calibration and units"
        case .paReflectedAboveForward(let device, let forward, let reflected):
            return "GaN PA frame from \(device) reports reflected power \(reflected) dBm above forward power \(forward) dBm (|Γ| > 1 is impossible); check that the coupler's forward and reflected ports are not swapped"
        case .malformedRecord(let location, let detail):
            return "\(location): \(detail)"
        }
    }
}
