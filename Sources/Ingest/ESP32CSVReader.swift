import Foundation
import GatewayCore

/// ESP32 CSI logs (ESP32-CSI-Tool, esp-csi) as a `FrameFileReader`: one record per line, parsed
/// at the byte level by `ESP32CSVLine`. Header rows and blank lines yield no record.
public struct ESP32CSVReader: FrameFileReader {
    private let bytes: [UInt8]
    private var offset = 0
    private var lineNumber = 0
    private var parser: ESP32CSVLine
    public private(set) var problem: String?

    public init(path: String) throws {
        self.init(bytes: try CaptureFormats.contents(of: path), name: URL(fileURLWithPath: path).lastPathComponent)
    }

    public init(bytes: [UInt8], name: String) {
        self.bytes = bytes
        parser = ESP32CSVLine(source: name)
    }

    public var formatName: String { "esp32 csv" }
    public var position: Int { offset }
    public var size: Int { bytes.count }

    /// Lines skipped as blank or header rows.
    public var skippedLines: Int { parser.skippedLines }

    public mutating func nextRecord() -> FileRecord? {
        while offset < bytes.count {
            let start = offset
            let record: FileRecord? = bytes.withUnsafeBufferPointer { all in
                var end = start
                while end < all.count, all[end] != 0x0A { end += 1 }
                offset = end < all.count ? end + 1 : end
                lineNumber += 1
                let line = UnsafeBufferPointer(rebasing: all[start..<end])
                return parser.parse(buffer: line, lineNumber: lineNumber)
            }
            if let record {
                if offset == bytes.count, bytes.last != 0x0A, case .malformed = record {
                    problem = "file ends in the middle of line \(lineNumber); frames before it were read"
                }
                return record
            }
        }
        return nil
    }

    /// Content detection: the file starts with a `CSI_DATA` record or a header row ("type,...,mac,...").
    public static func matches(prefix: [UInt8]) -> Bool {
        var body = prefix[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if body.starts(with: Array("CSI_DATA,".utf8)) { return true }
        // A header row names the mac column ("type,role,mac,..." or "type,seq,...,mac,...").
        guard body.starts(with: Array("type,".utf8)) else { return false }
        let header = body.prefix { $0 != 0x0A }
        return header.firstRange(of: Array(",mac,".utf8)) != nil
    }
}
