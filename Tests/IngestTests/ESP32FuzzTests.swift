import TestPeers
import Foundation
import GatewayCore
import Ingest
import Testing

/// Random, mutated and truncated input to every parser must give frames or malformed records,
/// never a crash.
@Suite struct ESP32FuzzTests {
    @Test func csvReaderSurvivesTruncationAndMutation() throws {
        var random = SplitMix(seed: 0xE5B3_2024)
        let seeds = try ESP32TestData.csvFiles.map { Array(try ESP32TestData.bytes($0).prefix(6000)) }
        let alphabet = Array("0123456789-,[] \"\nCSI_DATA:abcxyz=+/".utf8)
        var records = 0
        for round in 0..<400 {
            var bytes = seeds[round % seeds.count]
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            for _ in 0..<Int.random(in: 0...20, using: &random) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes[at] = alphabet.randomElement(using: &random) ?? 0
                default: bytes.remove(at: at)
                }
            }
            var reader = ESP32CSVReader(bytes: bytes, name: "fuzz")
            while reader.nextRecord() != nil { records += 1 }
        }
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0...600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            var reader = ESP32CSVReader(bytes: bytes, name: "noise")
            while reader.nextRecord() != nil { records += 1 }
            var line = ESP32CSVLine(source: "noise")
            _ = line.parse(line: bytes, lineNumber: 1)
            _ = line.parse(line: "CSI_DATA," + String(decoding: bytes, as: UTF8.self), lineNumber: 2)
        }
        #expect(records > 0)
    }

    @Test func npzReaderSurvivesTruncationAndMutation() throws {
        var random = SplitMix(seed: 0x4E50_5A00)
        let seed = try ESP32TestData.bytes("espectre/baseline/baseline_esp32_64sc_20260214_183059.npz")
        var opened = 0
        for round in 0..<120 {
            var bytes = seed
            if round % 2 == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            } else {
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            _ = NPZReader.matches(prefix: Array(bytes.prefix(4096)))
            if var reader = try? NPZReader(bytes: bytes, name: "fuzz.npz") {
                opened += 1
                while reader.nextRecord() != nil {}
            }
        }
        for _ in 0..<100 {
            let bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = try? NPZReader(bytes: [0x50, 0x4B, 0x03, 0x04] + bytes, name: "noise.npz")
            _ = try? NPYArray(bytes: [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] + bytes, name: "noise.npy")
        }
        #expect(opened > 0)
    }
}
