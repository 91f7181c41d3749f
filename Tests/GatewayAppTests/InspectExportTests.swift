import Foundation
import GatewayApp
import GatewayCore
import Testing

/// `gateway inspect` and `gateway export` on real captures from ../shared and on a simulated one.
@Suite struct InspectExportTests {
    static let data = TestSupport.root.deletingLastPathComponent().appendingPathComponent("shared/data/csi")

    func shared(_ relative: String) throws -> String {
        let path = Self.data.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw GatewayError(.notFound, "\(path) is missing: the tests read the real captures from ../shared beside the repo")
        }
        return path
    }

    /// Frame counts stated in shared/data/csi/SOURCES.md (CSI frames, not UDP packets).
    @Test(arguments: [
        ("esp32-csi-tool/example_csi.csv", 13, 0),
        ("csikit/esp32/example_data.csv", 60, 0),
        ("csikit/esp32/example_100hz_pitraffic.csv", 833, 1),
        ("csikit/esp32/example_fast_100hz_pitraffic.csv", 1089, 0),
        ("csikit/esp32/example_fast2_100hz_pitraffic.csv", 1599, 0),
        ("csikit/nexmon/example_4339.pcap", 2850, 0),
        ("csikit/nexmon/example_43455c0.pcap", 566, 0),
        ("csikit/nexmon/example_4366c0.pcap", 293, 0),
        ("nexmon_csi/example_bcm4358_80mhz.pcap", 4, 0),
        ("wisensing-esp32/person_200cm_1.csv", 7888, 0),
        ("csi-sec-course/esp_csi_tool_csi_data.csv", 1025, 0),
        ("csi-sec-course/rpi4_bcm43455c0_csi.pcap", 10532, 0),
        ("espectre/baseline/baseline_c3_64sc_20260329_130303.npz", 1017, 0),
        ("espectre/movement/movement_esp32_64sc_20260214_183141.npz", 1103, 0),
    ])
    func inspectCountsTheFramesSourcesMDStates(file: String, frames: Int, malformed: Int) throws {
        let inspection = try CaptureInspection(path: try shared(file))
        #expect(inspection.frames == frames)
        #expect(inspection.malformed == malformed)
        #expect(inspection.problem == nil)
        #expect(inspection.report.contains("frames      \(frames)"))
    }

    @Test func inspectNamesDevicesChipAndRate() throws {
        let inspection = try CaptureInspection(path: try shared("espectre/baseline/baseline_s3_64sc_20260117_222606.npz"))
        #expect(inspection.format == "espectre npz")
        #expect(inspection.chip == "s3")
        let device = try #require(inspection.devices["espectre-s3"])
        #expect(abs(device.seconds - 10) < 0.1)
        #expect(device.rate > 100 && device.rate < 150)
        #expect(inspection.report.contains("20 MHz, 64 sc, lltf"))
    }

    @Test func exportLeavesInvalidBinsEmpty() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.csv")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        let result = try AmplitudeExporter(path: try shared("csikit/nexmon/example_43455c0.pcap")).export(to: handle)
        try handle.close()
        #expect(result.frames == 566)
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        #expect(header.count == 6 + 256)
        #expect(header.last == "a255")
        let first = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(first.count == header.count)
        // Bins 0-2 carry PHY status in this capture (SOURCES.md): empty, never a number.
        #expect(first[6] == "" && first[7] == "" && first[8] == "")
        #expect(Double(first[9]) != nil)
        #expect(lines.count == 566 + 2)
    }

    @Test func exportWithImputeFillsOverwrittenBinsThatCarrySignal() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try shared("csi-sec-course/rpi4_bcm43455c0_csi.pcap")
        func export(impute: Bool) throws -> [[Substring]] {
            let out = dir.appendingPathComponent(impute ? "i.csv" : "p.csv")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            let handle = try FileHandle(forWritingTo: out)
            _ = try AmplitudeExporter(path: path, impute: impute).export(to: handle)
            try handle.close()
            return try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        }
        let plain = try export(impute: false), repaired = try export(impute: true)
        #expect(plain.count == repaired.count)
        #expect(plain[0] == repaired[0], "same columns")
        // csi[28..30] carry PHY status (SOURCES.md): 28 is a data subcarrier, 29 and 30 are guards.
        var filled = 0
        for (p, r) in zip(plain.dropFirst(), repaired.dropFirst()) {
            #expect(p[6 + 28] == "" && p[6 + 29] == "" && p[6 + 30] == "")
            #expect(r[6 + 29] == "" && r[6 + 30] == "", "guard bins stay empty")
            if let value = Double(r[6 + 28]), let left = Double(r[6 + 27]) {
                filled += 1
                #expect(value >= 0 && abs(value - left) <= 0.5 * max(left, 1), "bin 28 \(value) next to bin 27 \(left)")
            }
            for k in [5, 20, 40] { #expect(p[6 + k] == r[6 + k], "valid bins unchanged") }
        }
        #expect(filled == plain.count - 1)
    }

    @Test func inspectReportsEnergyAndEntropyPerDevice() throws {
        let inspection = try CaptureInspection(path: try shared("espectre/movement/movement_c6_64sc_20260310_230434.npz"))
        #expect(inspection.report.contains("energy      model of 52 subcarriers"), "\(inspection.report)")
        #expect(inspection.report.contains("E_state mean"))
        #expect(inspection.report.contains("S_state mean"))
    }

    @Test func exportFormatsAmplitudes() {
        #expect(AmplitudeExporter.format(5) == "5")
        #expect(AmplitudeExporter.format(12.5) == "12.5")
        #expect(AmplitudeExporter.format(5.385_164_8) == "5.385")
    }
}
