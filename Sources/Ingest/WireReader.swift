/// A minimal protobuf wire-format reader over borrowed bytes, for the ingest hot path.
///
/// swift-protobuf decodes an envelope into nested storage classes and copies the CSI bytes on
/// the way; at hundreds of thousands of frames per second that was two thirds of the ingest
/// cost. This reader walks the same bytes in place. It knows only the wire format (varints,
/// fixed 32/64-bit, length-delimited); `EnvelopeWireDecoder` gives the fields meaning.
/// Every read is bounds-checked and throws `WireError` instead of trapping.
struct WireReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    enum WireError: Error, Equatable, CustomStringConvertible {
        case truncated(at: Int)
        case varintTooLong(at: Int)
        case badWireType(Int, at: Int)
        case invalidUTF8(field: Int)

        var description: String {
            switch self {
            case .truncated(let at): return "truncated at byte \(at)"
            case .varintTooLong(let at): return "varint longer than 10 bytes at byte \(at)"
            case .badWireType(let type, let at): return "unsupported wire type \(type) at byte \(at)"
            case .invalidUTF8(let field): return "field \(field) is not valid UTF-8"
            }
        }
    }

    enum WireType: Int {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func varint() throws(WireError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while true {
            guard offset < bytes.count else { throw .truncated(at: offset) }
            let byte = bytes[offset]
            offset &+= 1
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift &+= 7
            guard shift < 70 else { throw .varintTooLong(at: start) }
        }
    }

    /// The next field's number and wire type.
    mutating func tag() throws(WireError) -> (field: Int, type: WireType) {
        let at = offset
        let key = try varint()
        guard let type = WireType(rawValue: Int(key & 7)) else { throw .badWireType(Int(key & 7), at: at) }
        let field = Int(truncatingIfNeeded: key >> 3)
        // Field numbers run from 1 to 2^29 - 1; anything else is corruption.
        guard field > 0, field <= 536_870_911 else { throw .badWireType(Int(key & 7), at: at) }
        return (field, type)
    }

    /// The bytes of a length-delimited field (borrowed; valid while the input is).
    mutating func lengthDelimited() throws(WireError) -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else { throw .truncated(at: offset) }
        let start = offset
        offset &+= Int(length)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }

    mutating func fixed32() throws(WireError) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw .truncated(at: offset) }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset &+= 4
        return UInt32(littleEndian: value)
    }

    mutating func fixed64() throws(WireError) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw .truncated(at: offset) }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset &+= 8
        return UInt64(littleEndian: value)
    }

    mutating func skip(_ type: WireType) throws(WireError) {
        switch type {
        case .varint: _ = try varint()
        case .fixed64:
            guard bytes.count - offset >= 8 else { throw .truncated(at: offset) }
            offset &+= 8
        case .lengthDelimited: _ = try lengthDelimited()
        case .fixed32:
            guard bytes.count - offset >= 4 else { throw .truncated(at: offset) }
            offset &+= 4
        }
    }

    mutating func string(field: Int) throws(WireError) -> String {
        let raw = try lengthDelimited()
        guard let text = String(validating: raw.assumingMemoryBound(to: UInt8.self), as: UTF8.self) else {
            throw .invalidUTF8(field: field)
        }
        return text
    }
}
