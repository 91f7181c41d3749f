import Foundation
import GatewayCore
import Ingest
import Testing

@Suite struct ESP32CSVReaderTests {
    /// Frame counts of SOURCES.md (CSI_DATA lines); the pitraffic file's 127-value line is read
    /// as one malformed record, so it yields 833 frames + 1 malformed.
    static let expected: [(file: String, frames: Int, malformed: Int)] = [
        ("esp32-csi-tool/example_csi.csv", 13, 0),
        ("csikit/esp32/example_data.csv", 60, 0),
        ("csikit/esp32/example_100hz_pitraffic.csv", 833, 1),
        ("csikit/esp32/example_fast_100hz_pitraffic.csv", 1089, 0),
        ("csikit/esp32/example_fast2_100hz_pitraffic.csv", 1599, 0),
        ("wisensing-esp32/person_200cm_1.csv", 7888, 0),
        ("csi-sec-course/esp_csi_tool_csi_data.csv", 1025, 0),
    ]

    @Test(arguments: ESP32TestData.csvFiles)
    func matchesGoldenValues(file: String) throws {
        let golden = try ESP32TestData.entry(file)
        var reader = ESP32CSVReader(bytes: try ESP32TestData.bytes(file), name: file)
        let (frames, malformed) = ESP32TestData.drain(&reader)
        #expect(frames.count == golden.frames, "\(file)")
        #expect(malformed.count == golden.malformed_lines.count, "\(file)")
        for sample in golden.samples {
            let index = sample.index < 0 ? frames.count + sample.index : sample.index
            guard index < frames.count else {
                Issue.record("\(file): no frame \(index)")
                continue
            }
            let frame = frames[index]
            #expect(frame.device.rawValue == sample.mac, "\(file) frame \(index)")
            #expect(sample.rssi.map { Int16($0) } == frame.rssi, "\(file) frame \(index)")
            // esp-radar "valid LLTF" lines print 52 pairs; the frame carries the full 64 bins.
            let expectedCount = sample.subcarriers == 52 ? 64 : sample.subcarriers
            #expect(frame.subcarrierCount == expectedCount, "\(file) frame \(index)")
            let amplitudes = ESP32TestData.amplitudes(frame)
            #expect(amplitudes.count == sample.amplitudes.count)
            for (mine, theirs) in zip(amplitudes, sample.amplitudes) {
                #expect(abs(mine - theirs) < 1e-4, "\(file) frame \(index): \(amplitudes) vs \(sample.amplitudes)")
            }
            if let seq = sample.seq { #expect(frame.sequence == UInt32(seq)) }
        }
        #expect(reader.problem == nil)
        #expect(reader.position == reader.size)
    }

    @Test func frameCountsEqualSources() throws {
        for (file, frames, malformed) in Self.expected {
            var reader = ESP32CSVReader(bytes: try ESP32TestData.bytes(file), name: file)
            let result = ESP32TestData.drain(&reader)
            #expect(result.frames.count == frames, "\(file)")
            #expect(result.malformed.count == malformed, "\(file)")
            #expect(result.frames.allSatisfy { frame in
                if case .int8Pairs = frame.payload { return true }
                return false
            })
        }
    }

    @Test func truncatedLineIsMalformedWithLocation() throws {
        let file = "csikit/esp32/example_100hz_pitraffic.csv"
        var reader = ESP32CSVReader(bytes: try ESP32TestData.bytes(file), name: "example_100hz_pitraffic.csv")
        let (_, malformed) = ESP32TestData.drain(&reader)
        // Line 19 of the file (header is line 1); csiread rejects the same line.
        #expect(try ESP32TestData.entry(file).malformed_lines == [19])
        #expect(malformed == [.malformedRecord(
            location: "example_100hz_pitraffic.csv:line 19",
            detail: "127 CSI values; int8 pairs need an even count (line cut short?)")])
    }

    @Test func mixedHTAndNonHTFramesFromSeveralMACs() throws {
        let file = "csikit/esp32/example_fast2_100hz_pitraffic.csv"
        var reader = ESP32CSVReader(bytes: try ESP32TestData.bytes(file), name: file)
        let (frames, malformed) = ESP32TestData.drain(&reader)
        #expect(malformed.isEmpty)
        let byDevice = Dictionary(grouping: frames, by: \.device)
        #expect(byDevice.count >= 2)
        #expect(byDevice["11:22:33:44:55:66"]?.count == 1594)
        #expect(frames.count - (byDevice["11:22:33:44:55:66"]?.count ?? 0) == 5)
        // The two HT frames (sig_mode 1, len 256) come from the second MAC; like every line of
        // this file they print only the LLTF (128 values), so all frames are 64-bin `.lltf`.
        let second = byDevice["78:11:dc:66:ec:94"] ?? []
        #expect(second.count == 5)
        #expect(frames.allSatisfy { $0.layout == .lltf && $0.subcarrierCount == 64 && $0.bandwidth == .mhz20 })
        #expect(Set(frames.map(\.rssi)).count > 1)
        // Per-device counters: each device's sequence runs 0, 1, 2, ...
        for (_, deviceFrames) in byDevice {
            #expect(deviceFrames.map(\.sequence) == (0..<deviceFrames.count).map { UInt32($0) })
        }
        #expect(frames.allSatisfy { $0.channel == 8 && $0.firstWordInvalid })
    }

    @Test func ht40LLTFOnlyPrintingMapsToLLTF() throws {
        var reader = ESP32CSVReader(bytes: try ESP32TestData.bytes("esp32-csi-tool/example_csi.csv"), name: "example_csi.csv")
        let (frames, _) = ESP32TestData.drain(&reader)
        let first = try #require(frames.first)
        #expect(first.layout == .lltf && first.bandwidth == .mhz40 && first.subcarrierCount == 64)
        #expect(first.rssi == -73 && first.noiseFloor == -93 && first.channel == 1)
        #expect(first.deviceTimestamp == 80_272_146)
        // No host time and real_time_set 0: the unwrapped radio clock from an epoch of 0.
        #expect(first.timestamp == 80_272_146)
        #expect(frames.map(\.timestamp) == frames.map { Int64($0.deviceTimestamp) })
    }

    @Test func stbcFramesPrintingLLTFOnly() throws {
        var reader = ESP32CSVReader(bytes: try ESP32TestData.bytes("csikit/esp32/example_data.csv"), name: "example_data.csv")
        let (frames, _) = ESP32TestData.drain(&reader)
        // len 384 (HT20 STBC) but 128 values printed: an LLTF frame, 20 MHz.
        #expect(frames.allSatisfy { $0.layout == .lltf && $0.bandwidth == .mhz20 && $0.channel == 6 })
        #expect(reader.skippedLines == 1)  // the header row
    }

    @Test func hostTimeColumnGivesTimestamps() throws {
        var reader = ESP32CSVReader(bytes: try ESP32TestData.bytes("wisensing-esp32/person_200cm_1.csv"), name: "person_200cm_1.csv")
        let (frames, _) = ESP32TestData.drain(&reader)
        #expect(frames.first?.timestamp == 1_740_694_846_645_272)
        #expect(frames.last?.timestamp == 1_740_694_992_419_310)
        #expect(frames.first?.layout == .lltf && frames.first?.bandwidth == .mhz20)  // sig_mode 0
        #expect(frames[1].bandwidth == .mhz40)  // sig_mode 1, cwb 1, secondary above
        // Last line has no newline: still a frame, no problem reported.
        #expect(reader.problem == nil)
    }

    @Test func espCSIValidLLTFExpandsTo64Bins() throws {
        var reader = ESP32CSVReader(bytes: try ESP32TestData.bytes("csi-sec-course/esp_csi_tool_csi_data.csv"), name: "csi_data.csv")
        let (frames, _) = ESP32TestData.drain(&reader)
        let first = try #require(frames.first)
        #expect(first.layout == .lltf && first.subcarrierCount == 64)
        #expect(first.invalidSubcarriers == Array(26...37))
        #expect(first.firstWordInvalid == false && first.channel == 11 && first.rssi == -34)
        #expect(first.sequence == 0 && frames[1].sequence == 1)
        // "2025-08-24 11:54:34.540" read as UTC.
        #expect(first.timestamp == 1_756_036_474_540_000)
        guard case .int8Pairs(let values) = first.payload else { return }
        #expect(values[52..<76].allSatisfy { $0 == 0 })
        // Printed pair 26 (subcarrier -26) lands in bin 38.
        #expect(values[76] == 13 && values[77] == 5)
        #expect(first.device == "00:00:00:00:00:00")
    }

    @Test func contentDetection() throws {
        for file in ESP32TestData.csvFiles {
            #expect(ESP32CSVReader.matches(prefix: Array(try ESP32TestData.bytes(file).prefix(4096))), "\(file)")
        }
        #expect(!ESP32CSVReader.matches(prefix: Array("time,value\n1,2\n".utf8)))
        #expect(!ESP32CSVReader.matches(prefix: [0x50, 0x4B, 0x03, 0x04]))
        #expect(!ESP32CSVReader.matches(prefix: []))
    }
    @Test func syntheticMixedFileCountsMalformedLines() {
        let nonHT = ESP32CSVLineTests.csiToolLine(values: Array(repeating: 1, count: 128), mac: "AA:BB:CC:DD:EE:01")
        let ht20 = ESP32CSVLineTests.csiToolLine(values: Array(repeating: 2, count: 256), mac: "AA:BB:CC:DD:EE:02", sigMode: 1)
        let ht40 = ESP32CSVLineTests.csiToolLine(values: Array(repeating: 3, count: 384), mac: "AA:BB:CC:DD:EE:03", sigMode: 1, cwb: 1)
        let text = ["type,role,mac", nonHT, ht20, "garbage \u{7F}", ht40, nonHT, "", String(ht40.prefix(200))].joined(separator: "\n")
        var reader = ESP32CSVReader(bytes: Array(text.utf8), name: "mixed.csv")
        let (frames, malformed) = ESP32TestData.drain(&reader)
        #expect(frames.map(\.layout) == [.lltf, .lltfHTLTF, .lltfHTLTF, .lltf])
        #expect(frames.map(\.bandwidth) == [.mhz20, .mhz20, .mhz40, .mhz20])
        #expect(Set(frames.map(\.device)).count == 3)
        #expect(frames.map(\.sequence) == [0, 0, 0, 1])
        #expect(malformed.map(\.description) == [
            "mixed.csv:line 4: not a CSI_DATA record",
            "mixed.csv:line 8: CSI list is not closed (line cut short?)",
        ])
        #expect(reader.problem?.contains("line 8") == true)
    }
}
