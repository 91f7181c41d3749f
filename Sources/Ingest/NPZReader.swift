import Foundation
import GatewayCore
import ZIPFoundation

/// ESPectre `.npz` captures (a zip of `.npy` arrays) as a `FrameFileReader`: one frame per row of
/// `csi_data` (int8 [N, 128] = 64 subcarriers x (imaginary, real)).
///
/// Mapping to `CSIFrame`: device "espectre-<chip>"; sequence = row index; layout `.lltf`, 20 MHz;
/// `timestamp` = start + i * duration_ms * 1000 / N µs (rounded), where start is `collected_at`
/// ("2026-03-29T13:03:03.633347", local time of the recording machine with no zone, read as
/// UTC) or 0 when it is missing or unreadable; `deviceTimestamp` is the same offset from the start
/// (µs, wrapping). RSSI, noise floor and channel are not stored in these files and are 0.
/// `firstWordInvalid` is set for chip "esp32" (its first two pairs are hardware garbage).
public struct NPZReader: FrameFileReader {
    public let chip: String
    public let label: String?
    public let durationMs: Double
    public let collectedAt: String?
    public let startMicros: Int64
    /// Every array of the archive by name without ".npy".
    public let arrays: [String: NPYArray]

    private let values: [Int8]
    private let rows: Int
    private let rowWidth: Int
    private var row = 0
    private let byteSize: Int

    public init(path: String) throws {
        try self.init(bytes: try CaptureFormats.contents(of: path), name: URL(fileURLWithPath: path).lastPathComponent)
    }

    /// Largest uncompressed entry accepted (a guard against zip bombs): 256 MiB.
    public static let entryLimit = 256 << 20

    public init(bytes: [UInt8], name: String) throws {
        func fail(_ detail: String) -> GatewayError {
            GatewayError(.malformedInput, "\(name): \(detail); expected an ESPectre .npz capture")
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw GatewayError(.malformedInput, "\(name): not a readable zip archive; expected an ESPectre .npz capture", cause: error)
        }
        var arrays: [String: NPYArray] = [:]
        for entry in archive where entry.type == .file && entry.path.hasSuffix(".npy") {
            guard entry.uncompressedSize <= UInt64(Self.entryLimit) else {
                throw fail("entry \(entry.path) is \(entry.uncompressedSize) bytes, over the \(Self.entryLimit)-byte limit")
            }
            var contents: [UInt8] = []
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard contents.count + chunk.count <= Self.entryLimit else { throw GatewayError(.malformedInput, "entry too large") }
                    contents.append(contentsOf: chunk)
                }
            } catch {
                throw GatewayError(.malformedInput, "\(name): entry \(entry.path) cannot be extracted (corrupt or cut short)", cause: error)
            }
            let key = String(entry.path.dropLast(4))
            arrays[key] = try NPYArray(bytes: contents, name: "\(name):\(entry.path)")
        }
        guard let csi = arrays["csi_data"] else { throw fail("no csi_data.npy entry") }
        guard let values = csi.int8Values(), csi.shape.count == 2, !csi.fortranOrder else {
            throw fail("csi_data is \(csi.dtype) \(csi.shape); expected a C-order int8 [N, 128] array")
        }
        let subcarriers = arrays["num_subcarriers"]?.scalarInt ?? Int64(csi.shape[1] / 2)
        guard csi.shape[1] == 128, subcarriers == 64 else {
            throw fail("csi_data rows hold \(csi.shape[1]) values for \(subcarriers) subcarriers; only 64-subcarrier LLTF captures (128 values) are supported")
        }
        self.values = values
        self.arrays = arrays
        rows = csi.shape[0]
        rowWidth = csi.shape[1]
        chip = arrays["chip"]?.scalarString ?? "unknown"
        label = arrays["label"]?.scalarString
        durationMs = arrays["duration_ms"]?.scalarDouble ?? 0
        collectedAt = arrays["collected_at"]?.scalarString
        startMicros = collectedAt.flatMap(Self.isoMicros) ?? 0
        byteSize = bytes.count
    }

    public var formatName: String { "espectre npz" }
    public var chipName: String? { chip }
    public var position: Int { rows == 0 ? byteSize : byteSize * row / rows }
    public var size: Int { byteSize }
    public var problem: String? { nil }
    /// Number of frames in the file.
    public var frameCount: Int { rows }

    public mutating func nextRecord() -> FileRecord? {
        guard row < rows else { return nil }
        let index = row
        row += 1
        let offset: Int64
        if durationMs.isFinite, durationMs > 0 {
            offset = Int64((Double(index) * durationMs * 1000 / Double(rows)).rounded())
        } else {
            offset = 0
        }
        let payload = Array(values[(index * rowWidth)..<((index + 1) * rowWidth)])
        let frame = CSIFrame(
            device: DeviceID("espectre-\(chip)"), sequence: UInt32(truncatingIfNeeded: index),
            timestamp: startMicros + offset, deviceTimestamp: UInt32(truncatingIfNeeded: offset),
            bandwidth: .mhz20, layout: .lltf, firstWordInvalid: chip == "esp32", payload: .int8Pairs(payload))
        return .frames([frame])
    }

    /// Content detection: a zip local header ("PK\x03\x04") whose first entry name ends ".npy".
    public static func matches(prefix: [UInt8]) -> Bool {
        guard prefix.count >= 30, prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return false }
        let nameLength = Int(prefix[26]) | Int(prefix[27]) << 8
        guard nameLength >= 4, 30 + nameLength <= prefix.count else { return false }
        return prefix[(30 + nameLength - 4)..<(30 + nameLength)].elementsEqual(".npy".utf8)
    }

    static func isoMicros(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { ESP32CSVScan.dateTimeAsMicros($0, 0, $0.count) }
    }
}
