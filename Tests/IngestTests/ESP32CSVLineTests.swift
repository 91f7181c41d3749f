import GatewayCore
import Ingest
import Testing

@Suite struct ESP32CSVLineTests {
    static let header = "CSI_DATA,STA,AA:BB:CC:DD:EE:01,-40,11,0,0,0,0,0,0,0,0,0,-97,0,6,0,4000000000,0,131,0,0,6.37,128,"

    static func csiToolLine(values: [Int], mac: String = "AA:BB:CC:DD:EE:01", local: UInt32 = 4_000_000_000, sigMode: Int = 0, cwb: Int = 0, stbc: Int = 0) -> String {
        "CSI_DATA,STA,\(mac),-40,11,\(sigMode),0,\(cwb),0,0,0,\(stbc),0,0,-97,0,6,0,\(local),0,131,0,0,6.37,\(values.count),[\(values.map(String.init).joined(separator: " ")) ]"
    }

    func parse(_ line: String, _ parser: inout ESP32CSVLine, number: Int = 7) -> FileRecord? {
        parser.parse(line: Array(line.utf8), lineNumber: number)
    }

    func frame(_ record: FileRecord?) -> CSIFrame? {
        if case .frames(let frames) = record { return frames.first }
        return nil
    }

    func detail(_ record: FileRecord?) -> String? {
        if case .malformed(.malformedRecord(let location, let detail)) = record { return "\(location) \(detail)" }
        return nil
    }

    @Test func parsesAllLayouts() throws {
        var parser = ESP32CSVLine(source: "t.csv")
        let cases: [(pairs: Int, sig: Int, cwb: Int, stbc: Int, layout: SubcarrierLayout, bw: Bandwidth)] = [
            (64, 0, 0, 0, .lltf, .mhz20), (128, 1, 0, 0, .lltfHTLTF, .mhz20), (192, 1, 1, 0, .lltfHTLTF, .mhz40),
            (192, 1, 0, 1, .lltfHTLTFSTBC, .mhz20), (128, 1, 1, 0, .htLTF, .mhz40), (320, 1, 1, 1, .lltfHTLTFSTBC, .mhz40),
        ]
        for c in cases {
            let line = Self.csiToolLine(values: Array(repeating: 3, count: 2 * c.pairs), sigMode: c.sig, cwb: c.cwb, stbc: c.stbc)
            let decoded = try #require(frame(parse(line, &parser)), "\(c)")
            #expect(decoded.layout == c.layout && decoded.bandwidth == c.bw && decoded.subcarrierCount == c.pairs)
        }
        #expect(detail(parse(Self.csiToolLine(values: Array(repeating: 1, count: 100)), &parser))?.contains("fit no ESP32 layout") == true)
    }

    @Test func sequenceCounterAndClockUnwrapPerDevice() throws {
        var parser = ESP32CSVLine(source: "t.csv")
        let values = Array(repeating: 1, count: 128)
        let a0 = try #require(frame(parse(Self.csiToolLine(values: values, local: 4_294_000_000), &parser)))
        let b0 = try #require(frame(parse(Self.csiToolLine(values: values, mac: "aa:bb:cc:dd:ee:02", local: 10), &parser)))
        let a1 = try #require(frame(parse(Self.csiToolLine(values: values, local: 500_000), &parser)))
        #expect(a0.sequence == 0 && b0.sequence == 0 && a1.sequence == 1)
        #expect(a0.timestamp == 4_294_000_000 && b0.timestamp == 10)
        #expect(a1.timestamp == (1 << 32) + 500_000 && a1.deviceTimestamp == 500_000)
        #expect(a1.device == "aa:bb:cc:dd:ee:01" && b0.device == "aa:bb:cc:dd:ee:02")
    }

    @Test func espCSIRecvQuotedListAndBase64() throws {
        var parser = ESP32CSVLine(source: "r.csv")
        let list = (0..<256).map { String($0 % 100 - 50) }.joined(separator: ",")
        let line = "CSI_DATA,17,94:d9:b3:80:8c:81,-30,11,1,6,1,0,1,0,1,0,0,-93,0,13,2,2751923,0,67,0,256,1,\"[\(list)]\""
        let decoded = try #require(frame(parse(line, &parser)))
        #expect(decoded.sequence == 17 && decoded.firstWordInvalid && decoded.channel == 13)
        #expect(decoded.layout == .htLTF && decoded.bandwidth == .mhz40)
        // 30-column esp_csi_tool line with base64 data (104 bytes = valid LLTF).
        let bytes: [UInt8] = (0..<104).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let base64 = Self.base64(bytes)
        let tool = "CSI_DATA,5,2025-08-24 11:54:34.540,0,unknown,00:11:22:33:44:55,-34,11,0,0,0,0,0,0,0,0,0,-97,0,11,0,4520883,0,14,0,0,0,104,0,\"\(base64)\""
        let toolFrame = try #require(frame(parse(tool, &parser)))
        #expect(toolFrame.sequence == 5 && toolFrame.subcarrierCount == 64)
        guard case .int8Pairs(let values) = toolFrame.payload else { return }
        #expect(values[0..<52].elementsEqual(bytes[0..<52].map { Int8(bitPattern: $0) }))
        #expect(values[76..<128].elementsEqual(bytes[52..<104].map { Int8(bitPattern: $0) }))
    }

    @Test func badLinesAreMalformedWithLocation() {
        var parser = ESP32CSVLine(source: "bad.csv")
        let good = Self.csiToolLine(values: Array(repeating: 2, count: 128))
        let cases: [(String, String)] = [
            (String(good.dropLast(40)), "CSI list is not closed"),
            (Self.csiToolLine(values: Array(repeating: 2, count: 127)), "127 CSI values"),
            (Self.csiToolLine(values: Array(repeating: 2, count: 126) + [200, 1]), "outside int8"),
            (Self.csiToolLine(values: Array(repeating: 2, count: 126) + [-129, 1]), "outside int8"),
            (good.replacingOccurrences(of: "[2 2", with: "[2 x"), "unexpected 'x'"),
            (good.replacingOccurrences(of: "AA:BB:CC:DD:EE:01", with: "AA:BB:CC:DD:EE"), "MAC"),
            (good.replacingOccurrences(of: ",-40,", with: ",loud,"), "numeric column"),
            ("CSI_DATA,STA,AA:BB:CC:DD:EE:01,-40,[1 2]", "fields before the CSI list"),
            ("CSI_DATA,STA,AA:BB", "no CSI list"),
            ("\u{01}\u{02}garbage", "not a CSI_DATA record"),
            ("I (1234) wifi: connected", "not a CSI_DATA record"),
            (Self.csiToolLine(values: []), "empty CSI list"),
            (good + ",not-a-time", "Unix time"),
        ]
        for (line, expected) in cases {
            let text = detail(parse(line, &parser, number: 42))
            #expect(text?.hasPrefix("bad.csv:line 42 ") == true, "\(line)")
            #expect(text?.contains(expected) == true, "\(line): \(text ?? "nil")")
        }
    }

    @Test func headersBlankAndLogLines() {
        var parser = ESP32CSVLine(source: "s", ignoresNonCSILines: true)
        #expect(parse("type,role,mac,rssi", &parser) == nil)
        #expect(parse("", &parser) == nil)
        #expect(parse("\r\n", &parser) == nil)
        #expect(parse("I (1234) wifi: connected", &parser) == nil)
        #expect(parser.skippedLines == 4)
        // Substring and CRLF input.
        let line = Self.csiToolLine(values: Array(repeating: 1, count: 128)) + "\r\n"
        #expect(frame(parser.parse(line: Substring(line), lineNumber: 1)) != nil)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
            let n = (UInt32(chunk[0]) << 16) | (UInt32(chunk.count > 1 ? chunk[1] : 0) << 8) | UInt32(chunk.count > 2 ? chunk[2] : 0)
            for k in 0..<4 {
                out.append(k <= chunk.count ? alphabet[Int((n >> UInt32(18 - 6 * k)) & 63)] : "=")
            }
            i += 3
        }
        return out
    }
}

