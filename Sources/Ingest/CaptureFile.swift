import Foundation
import GatewayCore
import SensingProto
import SwiftProtobuf

/// The gateway's own capture format, written by `gateway simulate --out` and read by `replay`:
/// the 8-byte magic "SGWCAP1\n", then each record as a varint length followed by that many bytes
/// of a `sensing.v1.Envelope` whose frames carry `receive_time_us`.
public enum CaptureFile {
    public static let magic: [UInt8] = Array("SGWCAP1\n".utf8)

    /// True when `prefix` starts with the magic.
    public static func matches(_ prefix: some Collection<UInt8>) -> Bool {
        prefix.count >= magic.count && zip(prefix, magic).allSatisfy { $0 == $1 }
    }
}

/// Writes a capture file, buffering writes in 1 MiB chunks.
public final class CaptureFileWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    public private(set) var records = 0

    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw GatewayError(.io, "cannot create capture file \(path); check that the directory exists and is writable")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw GatewayError(.io, "cannot open capture file \(path) for writing")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
        buffer.append(contentsOf: CaptureFile.magic)
    }

    public func write(_ envelope: PbEnvelope) throws {
        let bytes: [UInt8] = try envelope.serializedBytes()
        var length = UInt64(bytes.count)
        while length >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        buffer.append(UInt8(length))
        buffer.append(contentsOf: bytes)
        records += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() throws {
        try flush()
        try handle.close()
    }
}

/// Reads a capture file record by record. A truncated or corrupt tail ends the stream with a
/// reason instead of an error, so a capture cut short by a crash still replays.
public struct CaptureFileReader: Sequence, IteratorProtocol {
    private let data: [UInt8]
    private var offset: Int
    public private(set) var problem: String?

    public init(path: String) throws {
        try self.init(bytes: try CaptureFormats.contents(of: path), name: path)
    }

    public init(bytes: [UInt8], name: String) throws {
        guard CaptureFile.matches(bytes) else {
            throw GatewayError(.unsupportedFormat, "\(name) is not a gateway capture (no SGWCAP1 header)")
        }
        self.data = bytes
        self.offset = CaptureFile.magic.count
    }

    /// Bytes consumed so far and in all (for progress).
    public var position: Int { offset }
    public var size: Int { data.count }

    /// The next record's bytes, or nil at the end.
    public mutating func next() -> [UInt8]? {
        guard problem == nil, offset < data.count else { return nil }
        var length: UInt64 = 0
        var shift: UInt64 = 0
        var cursor = offset
        while true {
            guard cursor < data.count, shift < 64 else {
                problem = "truncated record length at byte \(offset)"
                return nil
            }
            let byte = data[cursor]
            cursor += 1
            length |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard length <= UInt64(data.count - cursor) else {
            problem = "record at byte \(offset) claims \(length) bytes but only \(data.count - cursor) remain (file cut short?)"
            return nil
        }
        let end = cursor + Int(length)
        offset = end
        return Array(data[cursor..<end])
    }
}
