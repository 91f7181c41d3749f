import Foundation
import SwiftProtobuf

// Written by hand (not generated): what gateway and cloud both need to fill and check
// `SyncBatch.energy_signatures` from a batch's serialized `LogEntry` bytes.
extension PbLogEntry {
    /// Field number of the `record` oneof set in a serialized `LogEntry` (4 event, 5 telemetry,
    /// 6 log line, 7 energy signature), found by walking the top-level wire format without
    /// decoding; nil when none is set or the bytes are not a well-formed message. Lets a batch of
    /// thousands of entries be searched for the few energy signatures at little cost.
    public static func recordField(in bytes: Data) -> Int? {
        bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            var offset = 0
            func varint() -> UInt64? {
                var value: UInt64 = 0
                var shift: UInt64 = 0
                while offset < raw.count, shift < 64 {
                    let byte = raw[offset]
                    offset += 1
                    value |= UInt64(byte & 0x7F) << shift
                    if byte & 0x80 == 0 { return value }
                    shift += 7
                }
                return nil
            }
            while offset < raw.count {
                guard let key = varint() else { return nil }
                let field = Int(key >> 3)
                if (4...7).contains(field) { return field }
                switch key & 7 {
                case 0: guard varint() != nil else { return nil }
                case 1: offset += 8
                case 2:
                    guard let length = varint(), length <= UInt64(raw.count - offset) else { return nil }
                    offset += Int(length)
                case 5: offset += 4
                default: return nil
                }
            }
            return nil
        }
    }

    /// The energy signatures the serialized entries hold, in entry order.
    /// - Throws: a swift-protobuf decoding error naming nothing more; callers add the entry index.
    public static func energySignatures(in entries: [Data]) throws -> [PbEnergySignature] {
        var found: [PbEnergySignature] = []
        for bytes in entries where recordField(in: bytes) == 7 {
            found.append(try PbLogEntry(serializedBytes: bytes).energySignature)
        }
        return found
    }
}
