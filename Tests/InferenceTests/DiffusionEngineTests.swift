import DSP
import Diffusion
import Foundation
import GatewayCore
@testable import Inference
import Ingest
import Testing

/// The diffusion engine inside the pipeline: repairs on real Nexmon captures (bins the firmware
/// overwrote), ESP32 invalid first words and saturated values, energy_regime events and signatures.
@Suite("Diffusion engine in the pipeline")
struct DiffusionEngineTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// CSI frames of a shared capture (../shared/data/csi), grouped by device.
    static func frames(_ relative: String) throws -> [DeviceID: [CSIFrame]] {
        let path = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/csi/\(relative)").path
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("missing shared capture \(path); these tests read ../shared/data/csi next to the repository (see SOURCES.md there)")
            throw CocoaError(.fileNoSuchFile)
        }
        var reader = try CaptureFormats.open(path: path)
        var byDevice: [DeviceID: [CSIFrame]] = [:]
        while let record = reader.nextRecord() {
            if case .frames(let list) = record { for frame in list { byDevice[frame.device, default: []].append(frame) } }
        }
        return byDevice
    }

    static func amplitudes(_ frame: CSIFrame) -> [Float] {
        var out = [Float](repeating: 0, count: frame.subcarrierCount)
        out.withUnsafeMutableBufferPointer { buffer in
            switch frame.payload {
            case .int8Pairs(let pairs): pairs.withUnsafeBufferPointer { Amplitude.fromInt8Pairs($0, into: buffer) }
            case .complex(let values): values.withUnsafeBufferPointer { Amplitude.fromComplex($0, into: buffer) }
            }
        }
        return out
    }

    /// An engine trained on `frames` (blocks of 32 accepted), its model fitted when they suffice
    /// (`DeviceEnergyEngine.framesPerDimension`); without one it repairs by interpolation.
    static func trainedEngine(_ frames: ArraySlice<CSIFrame>, settings: DiffusionSettings = DiffusionSettings()) -> DeviceEnergyEngine? {
        guard let first = frames.first else { return nil }
        var engine = DeviceEnergyEngine(settings: settings, device: first.device)
        engine.configure(positions: SubcarrierSelection.usable(for: first), frame: first)
        for (f, frame) in frames.enumerated() {
            var values = amplitudes(frame)
            let pairs: [Int8]? = if case .int8Pairs(let p) = frame.payload { p } else { nil }
            values.withUnsafeMutableBufferPointer { _ = engine.process($0, pairs: pairs, writeBack: false) }
            if f % 32 == 31 {
                _ = engine.closeWindow(start: 0, end: 0)
                engine.acceptWindow(seconds: 0)
            }
        }
        _ = engine.closeWindow(start: 0, end: 0)
        engine.acceptWindow(seconds: 0)
        engine.fit()
        return engine
    }

    /// Signed subcarrier index of position k in a full-band frame of `count` bins.
    static func subcarrier(_ k: Int, count: Int) -> Int { k < count / 2 ? k : k - count }

    @Test("Nexmon: overwritten bins come out consistent with their neighbours' interpolation", arguments: [
        "csi-sec-course/rpi4_bcm43455c0_csi.pcap", "csikit/nexmon/example_43455c0.pcap",
    ])
    func nexmonOverwrittenBins(capture: String) throws {
        let byDevice = try Self.frames(capture)
        var checked = 0
        for (device, frames) in byDevice.sorted(by: { $0.key < $1.key }) where frames.count >= 200 {
            let first = frames[0]
            let usable = SubcarrierSelection.usable(for: first)
            let overwritten = first.invalidSubcarriers.filter { usable.contains($0) }
            guard !overwritten.isEmpty, var engine = Self.trainedEngine(frames[...]) else { continue }
            let count = first.subcarrierCount
            // Valid usable neighbours sorted by frequency.
            let valid = usable.filter { !first.invalidSubcarriers.contains($0) }.sorted { Self.subcarrier($0, count: count) < Self.subcarrier($1, count: count) }
            var differences: [Double] = []
            for frame in frames where frame.invalidSubcarriers == first.invalidSubcarriers && frame.subcarrierCount == count {
                var values = Self.amplitudes(frame)
                values.withUnsafeMutableBufferPointer { _ = engine.process($0, pairs: nil, writeBack: true) }
                for k in overwritten {
                    let s = Self.subcarrier(k, count: count)
                    let left = valid.last { Self.subcarrier($0, count: count) < s }
                    let right = valid.first { Self.subcarrier($0, count: count) > s }
                    let reference: Float
                    if let left, let right {
                        let sl = Self.subcarrier(left, count: count), sr = Self.subcarrier(right, count: count)
                        reference = values[left] + Float(s - sl) / Float(sr - sl) * (values[right] - values[left])
                    } else {
                        reference = values[left ?? right ?? k]
                    }
                    let level = max(1e-3, (values[left ?? k] + values[right ?? k]) / 2)
                    #expect(values[k].isFinite && values[k] >= 0)
                    differences.append(Double(abs(values[k] - reference) / level))
                }
            }
            differences.sort()
            let median = differences[differences.count / 2], p95 = differences[Int(0.95 * Double(differences.count - 1))]
            print(String(format: "%@ %@: bins %@ imputed in %d frames (%@); |imputed − neighbours' interpolation| / level: median %.3f, p95 %.3f",
                         capture, device.rawValue, "\(overwritten)", differences.count / overwritten.count,
                         engine.model.map { "energy model rank \($0.rank) of \($0.dimension)" } ?? "no energy model: \(frames.count) frames are too few, interpolation", median, p95))
            #expect(median < 0.1)
            #expect(p95 < 0.35)
            checked += 1
        }
        #expect(checked > 0, "no device of \(capture) had overwritten bins among its usable subcarriers")
    }

    @Test("Nexmon: a bin held out of frames where it was valid is imputed about as well as the neighbours' average")
    func nexmonHeldOut() throws {
        let byDevice = try Self.frames("csi-sec-course/rpi4_bcm43455c0_csi.pcap")
        let (device, frames) = try #require(byDevice.max { $0.value.count < $1.value.count })
        let half = frames.count / 2
        var engine = try #require(Self.trainedEngine(frames[..<half]))
        #expect(engine.model != nil)
        let count = frames[0].subcarrierCount
        var model = 0.0, interpolation = 0.0, level = 0.0, n = 0.0
        for frame in frames[half...] where frame.subcarrierCount == count {
            for k in [5, 12, 20, 45, 52] where !frame.invalidSubcarriers.contains(k) {
                let truth = Self.amplitudes(frame)
                // Hold the bin out by marking it dropped (amplitude 0 counts as missing).
                var values = truth
                values[k] = 0
                values.withUnsafeMutableBufferPointer { _ = engine.process($0, pairs: nil, writeBack: true) }
                let linear = (truth[k - 1] + truth[k + 1]) / 2
                model += Double((values[k] - truth[k]) * (values[k] - truth[k]))
                interpolation += Double((linear - truth[k]) * (linear - truth[k]))
                level += Double(truth[k] * truth[k])
                n += 1
            }
        }
        let modelRMSE = (model / n).squareRoot(), linearRMSE = (interpolation / n).squareRoot(), rms = (level / n).squareRoot()
        print(String(format: "Nexmon %@ held-out bins (%.0f values): Langevin RMSE %.2f (%.1f%% of RMS %.1f), neighbours' average %.2f (%.1f%%)",
                     device.rawValue, n, modelRMSE, 100 * modelRMSE / rms, rms, linearRMSE, 100 * linearRMSE / rms))
        // Measured: the model does about as well as the neighbours' average on this capture
        // (amplitude is smooth across frequency); it must not be clearly worse.
        #expect(modelRMSE < 1.1 * linearRMSE)
        #expect(modelRMSE < 0.08 * rms)
    }

    @Test("Nexmon with imputation on: detectors run on the repaired bins without special cases")
    func nexmonPipeline() throws {
        let byDevice = try Self.frames("csi-sec-course/rpi4_bcm43455c0_csi.pcap")
        var settings = DetectorSettings()
        settings.diffusion.impute = true
        settings.calibrationSeconds = 2
        var pipeline = SensingPipeline(settings: settings)
        var output = SensingPipeline.Output()
        let frames = byDevice.values.flatMap { $0 }.sorted { $0.timestamp < $1.timestamp }
        for frame in frames { pipeline.process(frame, into: &output) }
        pipeline.finish(into: &output)
        #expect(!output.features.isEmpty)
        #expect(output.features.allSatisfy { $0.motionScore.isFinite && $0.presenceScore.isFinite && $0.meanAmplitude.isFinite })
        let models = pipeline.calibrations.values.compactMap(\.energyModel)
        #expect(!models.isEmpty)
        // The model covers the usable bins, the overwritten ones included.
        let first = try #require(frames.first)
        #expect(models.contains { $0.dimension == SubcarrierSelection.usable(for: first).count })
    }

    @Test("ESP32 invalid first word and saturated values are flagged and repaired; known values untouched")
    func esp32Repairs() throws {
        var synthetic = SyntheticFrames()
        var frames = (0..<400).map { synthetic.frame(sequence: UInt32($0), time: Int64($0) * 10_000, wobble: 0.05) }
        for i in frames.indices { frames[i].firstWordInvalid = true }
        var engine = try #require(Self.trainedEngine(frames[..<300]))
        var frame = frames[350]
        guard case .int8Pairs(var pairs) = frame.payload else { return }
        pairs[2 * 10] = -128  // subcarrier 10 saturated
        frame.payload = .int8Pairs(pairs)
        let before = Self.amplitudes(frame)
        var values = before
        let missing = values.withUnsafeMutableBufferPointer { engine.process($0, pairs: pairs, writeBack: true) }
        #expect(missing == 2)
        #expect(Set(engine.lastMissingPositions) == [1, 10])
        for k in SubcarrierSelection.usable(for: frame) where k != 1 && k != 10 { #expect(values[k] == before[k]) }
        // The repaired values sit near the device's usual level there, not at the saturated reading.
        let typical = Self.amplitudes(frames[340])
        #expect(abs(values[10] - typical[10]) < 0.2 * typical[10], "\(values[10]) vs \(typical[10]) (saturated reading \(before[10]))")
        #expect(abs(values[1] - typical[1]) < 0.2 * typical[1])
    }

    @Test("entropy rises when movement starts: an energy_regime event with its features, and signatures every span")
    func regimeAndSignatures() {
        var synthetic = SyntheticFrames()
        var settings = DetectorSettings()
        settings.diffusion.signatureSeconds = 5
        var pipeline = SensingPipeline(settings: settings)
        var output = SensingPipeline.Output()
        for i in 0..<3_000 {  // 30 s at 100 frames/s: 15 s still, then 15 s of strong movement
            let frame = synthetic.frame(sequence: UInt32(i), time: Int64(i) * 10_000, wobble: i < 1_500 ? 0.01 : 0.3)
            pipeline.process(frame, into: &output)
        }
        pipeline.finish(into: &output)
        let regimes = output.events.filter { $0.kind == .energyRegime }
        print("energy_regime events: \(regimes.map { e in e.features.map { "\($0.name)=\(String(format: "%.2f", $0.value))" }.joined(separator: " ") })")
        let rising = regimes.first { ($0.features.first { $0.name == "entropy_change" }?.value ?? 0) > 0 }
        #expect(rising != nil)
        if let rising { #expect(rising.start >= 14_000_000 && rising.start <= 17_000_000, "transition starts at \(rising.start) µs") }
        // Signatures: calibration takes the first 10 s, then one per 5 s of windows.
        #expect(output.energySignatures.count >= 3)
        let still = output.energySignatures.first { $0.end <= 15_000_000 }
        let moving = output.energySignatures.last
        if let still, let moving { #expect(moving.entropy > still.entropy + 3 && moving.energy > still.energy) }
    }
}
