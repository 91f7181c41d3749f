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
