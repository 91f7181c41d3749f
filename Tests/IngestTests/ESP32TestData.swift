import TestPeers
import Foundation
import GatewayCore
import Ingest
import Testing

/// The real captures in ../shared/data/csi and the golden values of Tools/golden-esp32.py.
enum ESP32TestData {
    struct Golden: Decodable {
        var csiread: String
        var numpy: String
        var entries: [Entry]
    }

    struct Entry: Decodable {
        var file: String
        var tool: String
        var frames: Int
        var malformed_lines: [Int]
        var samples: [Sample]
        var chip: String?
        var label: String?
        var duration_ms: Double?
    }

    struct Sample: Decodable {
        var index: Int
        var mac: String
        var rssi: Int?
        var subcarriers: Int
        var amplitudes: [Double]
        var seq: Int?
    }

    /// The repository root: this file's real location (symlinks resolved) up two folders.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var dataDirectory: URL {
        repositoryRoot.appendingPathComponent("../shared/data/csi").standardizedFileURL
    }

    /// The bytes of a real capture; fails the test (never skips) when shared/ is missing.
    static func bytes(_ relative: String) throws -> [UInt8] {
        let url = dataDirectory.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("\(url.path) is missing: the real CSI captures must be in shared/data/csi next to the repository (see shared/data/csi/SOURCES.md)")
            throw GatewayError(.notFound, "missing \(url.path)")
        }
        return [UInt8](try Data(contentsOf: url))
    }

    static func golden() throws -> Golden {
        let url = repositoryRoot.appendingPathComponent("Tests/IngestTests/Fixtures/esp32/golden.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    static func entry(_ file: String) throws -> Entry {
        guard let entry = try golden().entries.first(where: { $0.file == file }) else {
            Issue.record("no golden entry for \(file); rerun Tools/golden-esp32.py")
            throw GatewayError(.notFound, file)
        }
        return entry
    }

    /// Reads every record of a reader into frames and malformed reasons.
    static func drain(_ reader: inout some FrameFileReader) -> (frames: [CSIFrame], malformed: [MalformedReason]) {
        var frames: [CSIFrame] = []
        var malformed: [MalformedReason] = []
        while let record = reader.nextRecord() {
            switch record {
            case .frames(let decoded): frames += decoded
            case .malformed(let reason): malformed.append(reason)
            case .paFrames: break
            }
        }
        return (frames, malformed)
    }

    /// |real + j*imag| of the first `count` pairs (imag, real).
    static func amplitudes(_ frame: CSIFrame, count: Int = 8) -> [Double] {
        guard case .int8Pairs(let values) = frame.payload else { return [] }
        return (0..<min(count, values.count / 2)).map { k in
            let imag = Double(values[2 * k]), real = Double(values[2 * k + 1])
            return (real * real + imag * imag).squareRoot()
        }
    }

    static let csvFiles = [
        "esp32-csi-tool/example_csi.csv",
        "csikit/esp32/example_data.csv",
        "csikit/esp32/example_100hz_pitraffic.csv",
        "csikit/esp32/example_fast_100hz_pitraffic.csv",
        "csikit/esp32/example_fast2_100hz_pitraffic.csv",
        "wisensing-esp32/person_200cm_1.csv",
        "csi-sec-course/esp_csi_tool_csi_data.csv",
    ]

    static let npzFiles = [
        "espectre/baseline/baseline_c3_64sc_20260329_130303.npz",
        "espectre/baseline/baseline_c5_64sc_20260310_233856.npz",
        "espectre/baseline/baseline_c6_64sc_20260310_230414.npz",
        "espectre/baseline/baseline_esp32_64sc_20260214_183059.npz",
        "espectre/baseline/baseline_s3_64sc_20260117_222606.npz",
        "espectre/movement/movement_c3_64sc_20260329_130321.npz",
        "espectre/movement/movement_c5_64sc_20260310_233928.npz",
        "espectre/movement/movement_c6_64sc_20260310_230434.npz",
        "espectre/movement/movement_esp32_64sc_20260214_183141.npz",
        "espectre/movement/movement_s3_64sc_20260117_222626.npz",
    ]
}
