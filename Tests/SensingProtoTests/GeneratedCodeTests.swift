import Crypto
import Foundation
import SensingProto
import SwiftProtobuf
import Testing

/// The committed generated code must match Protos/: Tools/generate-protos.sh writes a stamp with
/// the SHA-256 of every schema file and every generated file; these tests recompute both.
@Suite struct GeneratedCodeTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct StampLine { let digest: String; let path: String }

    func stamp() throws -> [StampLine] {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Sources/SensingProto/GENERATED.sha256"), encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return StampLine(digest: String(parts[0]), path: parts[1].trimmingCharacters(in: .whitespaces))
        }
    }

    func sha256(_ relativePath: String) throws -> String {
        let data = try Data(contentsOf: Self.root.appendingPathComponent(relativePath))
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    @Test func everySchemaFileIsStamped() throws {
        let stamped = Set(try stamp().map(\.path).filter { $0.hasPrefix("Protos/") })
        let protosDir = Self.root.appendingPathComponent("Protos")
        var onDisk: Set<String> = []
        let walker = FileManager.default.enumerator(atPath: protosDir.path)
        while let item = walker?.nextObject() as? String {
            if item.hasSuffix(".proto") { onDisk.insert("Protos/" + item) }
        }
        #expect(!onDisk.isEmpty)
        #expect(stamped == onDisk, "Protos/ changed (files added or removed): run Tools/generate-protos.sh and commit the result")
    }

    @Test func generatedCodeIsFreshAgainstProtos() throws {
        for line in try stamp() {
            let actual = try sha256(line.path)
            #expect(actual == line.digest, "\(line.path) differs from the stamp: run Tools/generate-protos.sh and commit the result")
        }
    }

    @Test func envelopeRoundTrips() throws {
        var frame = PbCsiFrame()
        frame.deviceID = "esp32-a"
        frame.sequence = 7
        frame.rssiDbm = -52
        frame.layout = .lltf
        frame.int8Pairs = Data((0..<128).map { UInt8(truncatingIfNeeded: $0 - 64) })
        var envelope = PbEnvelope()
        envelope.schemaVersion = 1
        envelope.csi = frame
        let bytes: Data = try envelope.serializedBytes()
        let decoded = try PbEnvelope(serializedBytes: bytes)
        #expect(decoded == envelope)
        #expect(decoded.csi.int8Pairs.count == 128)
    }
}
