import Foundation
import GatewayCore
import Ingest
import SensingProto
import Simulation

extension EvaluationSets {
    /// Rows either side of an annotated centre that belong to its window (the Wisensing
    /// project slices centre ± 50 rows).
    static let wisensingHalfWindow = 50

    /// The Wisensing-esp32 recordings (ESP32-CSI-Tool CSV, a person walking between two boards)
    /// with their annotations (`slicing_source_demo_annotations.txt`: per file, `person` and
    /// `noise` windows as row centres). There is no empty-room recording, so each file is
    /// calibrated on the frames of its first half of `noise` windows (written to `directory`)
    /// and scored on the `person` windows (occupied) and the other half of the `noise` windows
    /// (empty); the rest of the file is replayed but not scored.
    public static func wisensing(directory: String, scratch: String) throws -> [DetectionEvaluator.Case] {
        let annotations = (directory as NSString).appendingPathComponent("slicing_source_demo_annotations.txt")
        guard let text = try? String(contentsOfFile: annotations, encoding: .utf8) else {
            throw GatewayError(.io, "cannot read \(annotations); point --wisensing at the folder holding the Wisensing CSV files and slicing_source_demo_annotations.txt")
        }
        // "preprocessed-person_200cm_1.parquet, person, 370 647 ..." -> file -> class -> centres
        var labels: [String: [String: [Int]]] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3 else { continue }
            let name = fields[0].replacingOccurrences(of: "preprocessed-", with: "").replacingOccurrences(of: ".parquet", with: ".csv")
            labels[name, default: [:]][fields[1], default: []] += fields[2].split(separator: " ").compactMap { Int($0) }
        }
        var cases: [DetectionEvaluator.Case] = []
        for name in labels.keys.sorted() {
            let path = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.isReadableFile(atPath: path), let person = labels[name]?["person"],
                  let noise = labels[name]?["noise"], noise.count >= 2 else { continue }
            cases.append(try wisensingCase(path: path, person: person, noise: noise.sorted(), scratch: scratch))
        }
        guard !cases.isEmpty else {
            throw GatewayError(.malformedInput, "no annotated Wisensing CSV file found in \(directory)")
        }
        return cases
    }

    private static func wisensingCase(path: String, person: [Int], noise: [Int], scratch: String) throws -> DetectionEvaluator.Case {
        // Row i of the file is its i-th record, frame or not.
        var reader = try CaptureFormats.open(path: path)
        var rows: [CSIFrame?] = []
        while let record = reader.nextRecord() {
            switch record {
            case .frames(let frames): rows.append(contentsOf: frames.map { Optional($0) })
            case .malformed, .paFrames: rows.append(nil)
            }
        }
        guard let origin = rows.lazy.compactMap({ $0?.timestamp }).first else {
            throw GatewayError(.malformedInput, "\(path) holds no frames")
        }
        func interval(_ centre: Int, kind: String) -> GroundTruthInterval? {
            let span = max(0, centre - wisensingHalfWindow)...min(rows.count - 1, centre + wisensingHalfWindow)
            let times = span.compactMap { rows[$0]?.timestamp }
            guard let first = times.min(), let last = times.max() else { return nil }
            return GroundTruthInterval(kind: kind, start: Double(first - origin) / 1_000_000, end: Double(last - origin) / 1_000_000)
        }
        let calibrationCentres = noise.prefix(noise.count / 2)
        let scoredNoise = noise.dropFirst(noise.count / 2).compactMap { interval($0, kind: "empty") }
        let occupied = person.compactMap { interval($0, kind: "motion") }
        // The calibration capture: the frames of the first half of the noise windows.
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let calibration = (scratch as NSString).appendingPathComponent("\(stem)-noise-calibration.sgw")
        let writer = try CaptureFileWriter(path: calibration)
        var written = Set<Int>()
        for centre in calibrationCentres {
            for row in max(0, centre - wisensingHalfWindow)...min(rows.count - 1, centre + wisensingHalfWindow) where written.insert(row).inserted {
                guard let frame = rows[row] else { continue }
                try writer.write(PbEnvelope(csi: PbCsiFrame(frame, receiveTime: frame.timestamp, wallTime: frame.timestamp)))
            }
        }
        try writer.close()
        return DetectionEvaluator.Case(
            name: "wisensing \(stem)", files: [path], calibrateFrom: calibration,
            truth: .labelled(positives: occupied, negatives: scoredNoise))
    }
}
