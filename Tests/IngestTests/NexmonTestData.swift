import Foundation
import GatewayCore
import Ingest
import Testing

/// The shared Nexmon captures (../shared/data/csi, never committed) and their golden fixtures
/// (Fixtures/nexmon, made by Tools/golden-nexmon.py with nexcsi and CSIKit).
enum NexmonTestData {
    /// This file's real directory (symlinks resolved, so a scratch package finds the repo).
    static let testsDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let sharedCSI = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/csi")

    /// Path of a shared capture; records a failure naming the missing file when it is absent.
    static func capture(_ relative: String) throws -> String {
        let path = sharedCSI.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("missing shared capture \(path); the Nexmon tests read ../shared/data/csi next to the repository (see SOURCES.md there)")
            throw CocoaError(.fileNoSuchFile)
        }
        return path
    }

    struct Golden: Decodable {
        struct Frame: Decodable {
            var index: Int
            var timestamp_us: Int64
            var mac: String
            var sequence_control: Int
            var sequence_number: Int
            var core: Int
            var spatial_stream: Int
            var chanspec: Int
            var chip: Int
            var rssi: Int
            var first8: [[Double]]
        }
        var file: String
        var tool: String
        var legacy_header: Bool
        var subcarriers: Int
        var frame_count: Int
        var padded_frames: Int
        var frames: [Frame]
    }

    static func golden(_ name: String) throws -> Golden {
        let url = testsDirectory.appendingPathComponent("Fixtures/nexmon/\(name).json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    /// Every record of a capture read with `PcapCaptureReader`.
    static func readAll(_ path: String) throws -> (frames: [CSIFrame], malformed: [MalformedReason], reader: PcapCaptureReader) {
        var reader = try PcapCaptureReader(path: path)
        var frames: [CSIFrame] = []
        var malformed: [MalformedReason] = []
        while let record = reader.nextRecord() {
            switch record {
            case .frames(let decoded): frames += decoded
            case .malformed(let reason): malformed.append(reason)
            case .paFrames: break
            }
        }
        return (frames, malformed, reader)
    }
}
