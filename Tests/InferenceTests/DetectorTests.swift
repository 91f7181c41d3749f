import GatewayCore
import Inference
import Testing

@Suite struct DetectorTests {
    let calibration = Calibration(profiles: [[1, 2, 3, 4]], motionThreshold: 1, presenceThreshold: 1, windows: 50,
                                  seconds: 10, motionP95: 0.3, presenceP95: 0.3, warnings: [])

    func window(_ index: Int, motion: Double, presence: Double = 0) -> AnalysisWindow {
        let start = Int64(index) * 200_000
        let features = WindowFeatures(device: "n1", start: start, end: start + 200_000, frames: 20, meanRSSI: -50,
                                      meanAmplitude: 30, motionScore: motion, presenceScore: presence)
        return AnalysisWindow(features: features, profile: [1, 2, 3, 4])
    }

    @Test func motionNeedsTwoOfThreeVotesAndEndsAfterTheHold() {
        var detector = PresenceMotionDetector(settings: DetectorSettings())
        var events: [SensingEvent] = []
        let scores: [Double] = [0.1, 0.1, 5, 0.1, 0.1, 6, 7, 4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
        for (i, score) in scores.enumerated() { events += detector.observe(window(i, motion: score), calibration: calibration) }
        let motion = events.filter { $0.kind == .motion }
        // A lone spike (window 2) does not start motion; windows 5-7 do.
        #expect(motion.count == 2)
        #expect(motion[0].end == nil)
        #expect(motion[0].start == Int64(5 * 200_000))
        #expect(motion[1].id == motion[0].id)
        #expect(motion[1].end == Int64(8 * 200_000))
        #expect(motion[1].confidence > 0.8)
        #expect(motion[1].features.contains { $0.name == "peak_motion_score" && $0.value == 7 })
        // Presence opened with motion and is still held (5 s hold).
        #expect(events.filter { $0.kind == .presence }.count == 1)
    }

    @Test func presenceEndsAfterItsHoldWithoutEvidence() {
        var detector = PresenceMotionDetector(settings: DetectorSettings())
        var events: [SensingEvent] = []
        for i in 0..<3 { events += detector.observe(window(i, motion: 5), calibration: calibration) }
        for i in 3..<60 { events += detector.observe(window(i, motion: 0.1), calibration: calibration) }
        let presence = events.filter { $0.kind == .presence }
        #expect(presence.count == 2)
        #expect(presence[1].end == Int64(3 * 200_000))
    }

    @Test func aStillPersonKeepsPresenceThroughTheProfile() {
        var detector = PresenceMotionDetector(settings: DetectorSettings())
        var events: [SensingEvent] = []
        for i in 0..<100 { events += detector.observe(window(i, motion: 0.1, presence: 3), calibration: calibration) }
        let presence = events.filter { $0.kind == .presence }
        #expect(presence.count == 1)
        #expect(presence[0].end == nil)
        #expect(events.filter { $0.kind == .motion }.isEmpty)
    }

    @Test func finishClosesOpenIntervals() {
        var detector = PresenceMotionDetector(settings: DetectorSettings())
        for i in 0..<4 { _ = detector.observe(window(i, motion: 5), calibration: calibration) }
        let closed = detector.finish(at: 4 * 200_000)
        #expect(closed.count == 2)
        #expect(closed.allSatisfy { $0.end != nil && $0.features.contains { $0.name == "closed_at_end_of_stream" } })
    }
}
