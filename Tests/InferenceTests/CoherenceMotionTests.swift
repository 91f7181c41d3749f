import GatewayCore
import Inference
import Testing

/// The coherence cue of motion (`DetectorSettings.coherenceMotion`) and its calibrated threshold.
@Suite struct CoherenceMotionTests {
    func window(_ index: Int, motion: Double, coherence: Double) -> AnalysisWindow {
        let start = Int64(index) * 200_000
        let features = WindowFeatures(device: "n1", start: start, end: start + 200_000, frames: 20, meanRSSI: -50,
                                      meanAmplitude: 30, motionScore: motion, presenceScore: 0, coherence: coherence)
        return AnalysisWindow(features: features, profile: [1, 2, 3, 4])
    }

    func calibration(threshold: Double?) -> Calibration {
        Calibration(profiles: [[1, 2, 3, 4]], motionThreshold: 1, presenceThreshold: 1, windows: 50, seconds: 10,
                    motionP95: 0.3, presenceP95: 0.3, warnings: [], coherenceP95: 0.2, coherenceThreshold: threshold)
    }

    /// Windows with weak variance (ratio 0.5) but coherence 0.9: motion only with the cue on.
    func motionEvents(cue: Bool, threshold: Double?) -> [SensingEvent] {
        var settings = DetectorSettings()
        settings.coherenceMotion = cue
        var detector = PresenceMotionDetector(settings: settings)
        var events: [SensingEvent] = []
        for i in 0..<4 { events += detector.observe(window(i, motion: 0.5, coherence: 0.9), calibration: calibration(threshold: threshold)) }
        for i in 4..<20 { events += detector.observe(window(i, motion: 0.1, coherence: 0.2), calibration: calibration(threshold: threshold)) }
        return events.filter { $0.kind == .motion }
    }

    @Test func coherentWindowsCountAsMotionWhenTheCueIsOn() throws {
        let events = motionEvents(cue: true, threshold: 0.6)
        #expect(events.count == 2)
        let closed = try #require(events.last)
        #expect(closed.end == Int64(4 * 200_000))
        #expect(closed.features.contains { $0.name == "coherence_only_windows" && $0.value == 4 })
        #expect(closed.features.contains { $0.name == "coherence_threshold" && $0.value == 0.6 })
        #expect(motionEvents(cue: false, threshold: 0.6).isEmpty)
        #expect(motionEvents(cue: true, threshold: nil).isEmpty, "no threshold (old or AGC-switching calibration): no cue")
    }

    @Test func calibrationLearnsTheThresholdFromTheEmptyRoom() throws {
        var builder = CalibrationBuilder()
        for i in 0..<50 { builder.add(window(i, motion: 0.01, coherence: 0.1 + 0.002 * Double(i))) }
        var settings = DetectorSettings()
        settings.coherenceGap = 0.5
        let calibration = try #require(builder.build(settings: settings))
        let p95 = try #require(calibration.coherenceP95)
        #expect(abs(p95 - (0.1 + 0.002 * 46.55)) < 1e-9)
        #expect(abs((calibration.coherenceThreshold ?? 0) - (p95 + (1 - p95) / 2)) < 1e-9)
        // Calibrations stored before the feature decode without it.
        let old = try CalibrationDocument.decode(#"{"format":1,"calibration":{"profiles":[[1]],"motionThreshold":1,"presenceThreshold":1,"windows":5,"seconds":5,"motionP95":1,"presenceP95":1,"warnings":[],"gainStepFraction":0,"gainCompensated":false,"levelReference":0,"levelWeight":0}}"#, what: "test")
        #expect(old.coherenceThreshold == nil)
    }
}
