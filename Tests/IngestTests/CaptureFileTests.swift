import Foundation
import GatewayCore
import Ingest
import SensingProto
import Testing

@Suite struct CaptureFileTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString).sgw").path
    }

    @Test func roundTripsRecords() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try CaptureFileWriter(path: path)
        for i in 0..<300 { try writer.write(PbEnvelope(csi: TestFrames.csi(sequence: UInt32(i), receiveTime: Int64(i)))) }
        try writer.close()
        var reader = try CaptureFileReader(path: path)
        let decoder = EnvelopeDecoder()
        var sequences: [UInt32] = []
        while let record = reader.next() {
            sequences += decoder.decode(record, receivedAt: 0).frames.map(\.sequence)
        }
        #expect(sequences == (0..<300).map { UInt32($0) })
        #expect(reader.problem == nil)
    }

    @Test func truncatedTailIsReportedNotFatal() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try CaptureFileWriter(path: path)
        for i in 0..<10 { try writer.write(PbEnvelope(csi: TestFrames.csi(sequence: UInt32(i)))) }
        try writer.close()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.removeLast(20)
        var reader = try CaptureFileReader(bytes: bytes, name: "cut")
        var count = 0
        while reader.next() != nil { count += 1 }
        #expect(count == 9)
        #expect(reader.problem?.contains("cut short") == true)
    }

    @Test func otherFilesAreRejectedByName() {
        #expect(throws: GatewayError.self) { try CaptureFileReader(bytes: Array("hello".utf8), name: "notes.txt") }
    }
}
