import Foundation
import GatewayCore
@testable import Inference
import Testing

@Suite struct CalibrationDriftTests {
    func calibration() -> Calibration {
        Calibration(profiles: (0..<10).map { _ in [Float](repeating: 1, count: 4) }, motionThreshold: 1, presenceThreshold: 0.1,
                    windows: 50, seconds: 10, motionP95: 0.3, presenceP95: 0.03, warnings: [],
                    levelReference: 30, levelWeight: 1)
    }

    func window(_ i: Int, level: Double, presence: Double = 0.01, motion: Double = 0.1, profile: Float = 1) -> AnalysisWindow {
        let features = WindowFeatures(device: "n1", start: Int64(i) * 200_000, end: Int64(i + 1) * 200_000, frames: 20,
                                      meanRSSI: -50, meanAmplitude: level, motionScore: motion, presenceScore: presence)
        return AnalysisWindow(features: features, profile: [Float](repeating: profile, count: 4))
    }

    @Test func levelFollowsSlowDriftAndProfilesTurnOver() {
        var drift = CalibrationDrift()
        var cal = calibration()
        var changes = 0
        // One hour of an empty room whose level has moved from 30 to 33 (a 10 % drift).
        for i in 0..<18_000 {
            if drift.observe(window(i, level: 33, profile: 1.01), detectorIdle: true, calibration: &cal) { changes += 1 }
        }
        // After two time constants the reference has covered 1 - e^-2 = 86 % of the way in log space.
        let covered = log(cal.levelReference / 30) / log(33.0 / 30)
        #expect(abs(covered - (1 - exp(-2))) < 0.01)
        #expect(changes == 12)
        #expect(cal.profiles.allSatisfy { $0 == [Float](repeating: 1.01, count: 4) })
        #expect(cal.presenceThreshold == 0.1 && cal.motionThreshold == 1)
    }

    @Test func nothingIsLearntWhileSomeoneMayBeThere() {
        var drift = CalibrationDrift()
        var cal = calibration()
        let before = cal
        for i in 0..<3_000 {
            // Presence score over half the threshold, motion over half, or an open event.
            _ = drift.observe(window(i, level: 40, presence: 0.06), detectorIdle: true, calibration: &cal)
            _ = drift.observe(window(i, level: 40, motion: 0.6), detectorIdle: true, calibration: &cal)
            _ = drift.observe(window(i, level: 40), detectorIdle: false, calibration: &cal)
        }
        #expect(cal == before)
        #expect(drift.adaptations == 0)
    }
}
