import GatewayCore
@testable import Inference
import Testing

@Suite struct FallDetectorTests {
    /// Window i (200 ms) with the given Doppler energies and a flat level profile at `level`.
    func window(_ i: Int, total: Double, fast: Double, level: Float = 30) -> AnalysisWindow {
        let features = WindowFeatures(device: "n1", start: Int64(i) * 200_000, end: Int64(i + 1) * 200_000, frames: 20,
                                      meanRSSI: -50, meanAmplitude: Double(level), motionScore: 0, presenceScore: 0)
        return AnalysisWindow(features: features, profile: [Float](repeating: 1, count: 8),
                              levelProfile: [Float](repeating: level, count: 8),
                              doppler: DopplerBands(total: total, fast: fast, frameRate: 100, seconds: 0.32))
    }

    /// Quiet windows (noise: total 1, fast 0.8), `walking` windows of slow movement, the given
    /// burst window, then `still` quiet windows.
    func run(_ detector: inout FallDetector, walking: Int = 10, burst: (total: Double, fast: Double)?,
             still: Int, startQuiet: Int = 5) -> [SensingEvent] {
        var events: [SensingEvent] = []
        var i = 0
        for _ in 0..<startQuiet { events += detector.observe(window(i, total: 1, fast: 0.8)); i += 1 }
        for _ in 0..<walking { events += detector.observe(window(i, total: 40, fast: 4)); i += 1 }
        if let burst { events += detector.observe(window(i, total: burst.total, fast: burst.fast)); i += 1 }
        for _ in 0..<still { events += detector.observe(window(i, total: 1.1, fast: 0.85, level: 20)); i += 1 }
        return events
    }

    @Test func fastBurstThenStillnessIsAFall() throws {
        var detector = FallDetector(settings: DetectorSettings())
        let events = run(&detector, burst: (total: 60, fast: 40), still: 16)
        let fall = try #require(events.first)
        #expect(events.count == 1)
        #expect(fall.kind == .fall)
        #expect(fall.start == 15 * 200_000 && fall.end == fall.start)
        #expect(fall.modelVersion == "fall-doppler-v1")
        #expect(fall.confidence > 0.5 && fall.confidence < 1)
        let features = Dictionary(uniqueKeysWithValues: fall.features.map { ($0.name, $0.value) })
        #expect(abs((features["fast_ratio"] ?? 0) - 40 / 0.85) < 1e-6)
        #expect((features["fast_share"] ?? 0) > 0.3)
        #expect((features["still_s"] ?? 0) >= 3)
        #expect(features["decided_at_end_of_stream"] == nil)
    }

    /// A fall's last moments can hold one quiet-looking window between active ones: the stillness
    /// after the last active window still opens a candidate.
    @Test func aQuietWindowInsideTheBurstDoesNotHideTheFall() throws {
        var detector = FallDetector(settings: DetectorSettings())
        var events: [SensingEvent] = []
        var i = 0
        for _ in 0..<5 { events += detector.observe(window(i, total: 1, fast: 0.8)); i += 1 }
        for _ in 0..<10 { events += detector.observe(window(i, total: 40, fast: 4)); i += 1 }
        events += detector.observe(window(i, total: 60, fast: 40)); i += 1
        events += detector.observe(window(i, total: 1.2, fast: 0.9)); i += 1
        events += detector.observe(window(i, total: 60, fast: 40)); i += 1
        for _ in 0..<16 { events += detector.observe(window(i, total: 1.1, fast: 0.85, level: 20)); i += 1 }
        let fall = try #require(events.first)
        #expect(events.count == 1)
        #expect(fall.start == 17 * 200_000)
    }

    @Test func decidesAboutThreeSecondsAfterTheImpact() {
        var detector = FallDetector(settings: DetectorSettings())
        // 14 still windows (2.8 s) are not enough yet; the 15th (3.0 s) decides.
        #expect(run(&detector, burst: (total: 60, fast: 40), still: 14).isEmpty)
        var again = FallDetector(settings: DetectorSettings())
        #expect(run(&again, burst: (total: 60, fast: 40), still: 15).count == 1)
    }

    @Test func slowMovementThenStillnessIsNot() {
        // Sitting down: lots of energy, little of it fast.
        var detector = FallDetector(settings: DetectorSettings())
        #expect(run(&detector, burst: (total: 80, fast: 3), still: 30).isEmpty)
        // Walking that stops: no burst beyond the walk itself.
        var walker = FallDetector(settings: DetectorSettings())
        #expect(run(&walker, burst: nil, still: 30).isEmpty)
    }

    @Test func movementDuringConfirmationCancels() {
        var detector = FallDetector(settings: DetectorSettings())
        var events = run(&detector, burst: (total: 60, fast: 40), still: 8)
        events += detector.observe(window(100, total: 40, fast: 20))
        for i in 101..<120 { events += detector.observe(window(i, total: 1, fast: 0.8)) }
        #expect(events.isEmpty)
    }

    @Test func driftingLevelCancels() {
        // Energy quiet but the level wanders by 50 % within a second: someone moving slowly.
        var detector = FallDetector(settings: DetectorSettings())
        var events = run(&detector, burst: (total: 60, fast: 40), still: 2)
        for i in 0..<20 {
            events += detector.observe(window(18 + i, total: 1, fast: 0.8, level: i % 10 < 5 ? 20 : 30))
        }
        #expect(events.isEmpty)
    }

    @Test func endOfStreamDecidesWithWhatThereIs() throws {
        var detector = FallDetector(settings: DetectorSettings())
        #expect(run(&detector, burst: (total: 60, fast: 40), still: 7).isEmpty)
        let fall = try #require(detector.finish(at: 40 * 200_000).first)
        #expect(fall.features.contains(NamedValue("decided_at_end_of_stream", 1)))
        // Under a second of stillness is too little to judge.
        var short = FallDetector(settings: DetectorSettings())
        #expect(run(&short, burst: (total: 60, fast: 40), still: 3).isEmpty)
        #expect(short.finish(at: 40 * 200_000).isEmpty)
    }

    /// Through the `Detector` protocol: stillness that looks like the empty room (someone left)
    /// is no fall; stillness with someone there is.
    @Test func aFallLeavesSomeoneBehind() {
        let calibration = Calibration(profiles: [[Float](repeating: 1, count: 8)], motionThreshold: 1, presenceThreshold: 0.1,
                                      windows: 10, seconds: 10, motionP95: 0.3, presenceP95: 0.03, warnings: [])
        func events(presence: Double) -> [SensingEvent] {
            var detector = FallDetector(settings: DetectorSettings())
            var out: [SensingEvent] = []
            var i = 0
            func feed(_ total: Double, _ fast: Double, level: Float = 30) {
                var w = window(i, total: total, fast: fast, level: level)
                w.features.presenceScore = presence
                out += detector.observe(w, calibration: calibration)
                i += 1
            }
            for _ in 0..<5 { feed(1, 0.8) }
            for _ in 0..<10 { feed(40, 4) }
            feed(60, 40)
            for _ in 0..<16 { feed(1.1, 0.85, level: 20) }
            return out
        }
        #expect(events(presence: 0.01).isEmpty)
        let fall = events(presence: 0.5)
        #expect(fall.count == 1)
        #expect(fall.first?.features.contains(NamedValue("empty_room_share", 0)) == true)
    }

    @Test func windowsWithoutASpectrumAreSkipped() {
        var detector = FallDetector(settings: DetectorSettings())
        var bare = window(0, total: 1, fast: 1)
        bare.doppler = nil
        #expect(detector.observe(bare).isEmpty)
        #expect(detector.finish(at: 0).isEmpty)
    }
}
