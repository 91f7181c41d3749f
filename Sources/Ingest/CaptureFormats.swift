import Foundation
import GatewayCore

/// Opens a capture file with the reader its content calls for (never by extension).
public enum CaptureFormats {
    /// Formats in the order they are tried; the first whose `matches` accepts the file's first
    /// bytes reads it.
    public struct Format: Sendable {
        public let name: String
        public let matches: @Sendable (_ prefix: [UInt8]) -> Bool
        public let open: @Sendable (_ path: String) throws -> any FrameFileReader
    }

    public static let known: [Format] = [
        Format(name: "gateway capture", matches: { CaptureFile.matches($0) },
               open: { try GatewayCaptureReader(path: $0) }),
        Format(name: "pcap", matches: { PcapCaptureReader.matches(prefix: $0) },
               open: { try PcapCaptureReader(path: $0) }),
        Format(name: "ESPectre npz", matches: { NPZReader.matches(prefix: $0) },
               open: { try NPZReader(path: $0) }),
        Format(name: "ESP32 CSV", matches: { ESP32CSVReader.matches(prefix: $0) },
               open: { try ESP32CSVReader(path: $0) }),
    ]

    /// The whole file, for the readers that parse from memory; a `GatewayError` naming it otherwise.
    static func contents(of path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatewayError(.io, "cannot read \(path); check the path and permissions")
        }
        return [UInt8](data)
    }

    public static func open(path: String) throws -> any FrameFileReader {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GatewayError(.io, "cannot read \(path); check the path and permissions")
        }
        let prefix = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        try? handle.close()
        guard let format = known.first(where: { $0.matches(prefix) }) else {
            throw GatewayError(
                .unsupportedFormat,
                "\(path): unknown capture format; supported: \(known.map(\.name).joined(separator: ", "))")
        }
        return try format.open(path)
    }
}
