import Foundation
import GatewayCore
import Inference
import Testing

@Suite struct DeviceAnalyzerTests {
    @Test func cutsWindowsByFrameTime() {
        var settings = DetectorSettings()
        settings.windowMillis = 200
        var analyzer = DeviceAnalyzer(device: "n1", settings: settings)
        var gen = SyntheticFrames()
        var windows: [AnalysisWindow] = []
        // 100 frames/s for 1 s: five windows of 20 frames, the last closed by flush.
        for i in 0..<100 {
            if let w = analyzer.add(gen.frame(sequence: UInt32(i), time: 1_000_000 + Int64(i) * 10_000, wobble: 0)) {
                windows.append(w)
            }
        }
        if let w = analyzer.flush() { windows.append(w) }
        #expect(windows.count == 5)
        #expect(windows.allSatisfy { $0.features.frames == 20 })
        #expect(windows[1].features.start == 1_200_000)
        #expect(windows.allSatisfy { $0.profile.count == 52 })
        #expect(windows[0].features.meanRSSI == -50)
    }

    @Test func motionScoreGrowsWithFluctuation() {
        func score(_ wobble: Double) -> Double {
            var analyzer = DeviceAnalyzer(device: "n1", settings: DetectorSettings())
            var gen = SyntheticFrames()
            for i in 0..<20 { _ = analyzer.add(gen.frame(sequence: UInt32(i), time: Int64(i) * 10_000, wobble: wobble)) }
            return analyzer.flush()?.features.motionScore ?? -1
        }
        let still = score(0)
        let moving = score(0.2)
        #expect(still >= 0)
        #expect(moving > 20 * still)
    }

    /// A gain step scales every subcarrier alike; a person's fade reshapes the profile. Only the
    /// first counts as a gain step, and only it switches the window to compensated motion.
    @Test func gainStepsKeepTheShapeAndFadesDoNot() {
        func frame(_ i: Int, scale: (Int) -> Double) -> CSIFrame {
            var pairs = [Int8](repeating: 0, count: 128)
            for k in 0..<64 {
                let s = k < 32 ? k : k - 64
                guard s != 0, abs(s) <= 26 else { continue }
                let amplitude = (30 + 8 * sin(Double(k) * 0.4)) * scale(k)
                pairs[2 * k] = Int8(clamping: Int((amplitude * 0.6).rounded()))
                pairs[2 * k + 1] = Int8(clamping: Int((amplitude * 0.8).rounded()))
            }
            return CSIFrame(device: "n1", sequence: UInt32(i), timestamp: Int64(i) * 10_000, payload: .int8Pairs(pairs))
        }
        func window(after step: Int, scale: @escaping (Int) -> Double) -> AnalysisWindow? {
            var analyzer = DeviceAnalyzer(device: "n1", settings: DetectorSettings())
            for i in 0..<20 { _ = analyzer.add(frame(i, scale: { i < step ? 1 : scale($0) })) }
            return analyzer.flush()
        }
        let gain = window(after: 10) { _ in 0.5 }
        #expect(gain?.gainSteps == 1)
        #expect((gain?.features.motionScore ?? 0) > 100 * (gain?.compensatedMotionScore ?? 1))
        // Half the band fades by 70 %: the level drops by more than the step ratio, the shape changes.
        let fade = window(after: 10) { $0 < 32 ? 0.3 : 1 }
        #expect(fade?.gainSteps == 0)
        let calibration = Calibration(profiles: [], motionThreshold: 1, presenceThreshold: 1, windows: 1, seconds: 1,
                                      motionP95: 1, presenceP95: 1, warnings: [])
        if let gain, let fade {
            #expect(calibration.motionScore(of: gain) == gain.compensatedMotionScore)
            #expect(calibration.motionScore(of: fade) == fade.features.motionScore)
        }
    }

    @Test func gapsStartANewWindowAtTheNextFrame() {
        var analyzer = DeviceAnalyzer(device: "n1", settings: DetectorSettings())
        var gen = SyntheticFrames()
        for i in 0..<5 { _ = analyzer.add(gen.frame(sequence: UInt32(i), time: Int64(i) * 10_000, wobble: 0)) }
        let closed = analyzer.add(gen.frame(sequence: 5, time: 10_000_000, wobble: 0))
        #expect(closed?.features.frames == 5)
        #expect(analyzer.flush()?.features.start == 10_000_000)
    }

    @Test func sparseWindowsAreNotScored() {
        var analyzer = DeviceAnalyzer(device: "n1", settings: DetectorSettings())
        var gen = SyntheticFrames()
        _ = analyzer.add(gen.frame(sequence: 0, time: 0, wobble: 0.3))
        let window = analyzer.flush()
        #expect(window?.features.frames == 1)
        #expect(window?.profile.isEmpty == true)
        #expect(window?.features.motionScore == 0)
    }
}
