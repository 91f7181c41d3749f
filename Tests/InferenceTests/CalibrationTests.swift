import GatewayCore
import Inference
import Testing

@Suite struct CalibrationTests {
    func window(_ i: Int, motion: Double, profile: [Float]) -> AnalysisWindow {
        let start = Int64(i) * 200_000
        return AnalysisWindow(
            features: WindowFeatures(device: "n1", start: start, end: start + 200_000, frames: 20, meanRSSI: -50,
                                     meanAmplitude: 1, motionScore: motion, presenceScore: 0),
            profile: profile)
    }

    @Test func thresholdsComeFromTheEmptyRoomsPercentiles() throws {
        var builder = CalibrationBuilder()
        for i in 0..<100 { builder.add(window(i, motion: Double(i % 10) / 100, profile: [1, 2, 3, Float(i % 3)])) }
        let calibration = try #require(builder.build(settings: DetectorSettings()))
        #expect(calibration.windows == 100)
        #expect(abs(calibration.seconds - 20) < 1e-9)
        #expect(abs(calibration.motionP95 - 0.09) < 1e-9)
        #expect(abs(calibration.motionThreshold - 0.27) < 1e-9)
        #expect(calibration.profiles.count == Calibration.maxProfiles)
        #expect(calibration.warnings.isEmpty)
    }

    @Test func shortOrRestlessCalibrationsWarn() throws {
        var builder = CalibrationBuilder()
        for i in 0..<10 { builder.add(window(i, motion: i == 9 ? 10 : 0.01 * Double(i + 1), profile: [1, 2, 3, 4])) }
        let calibration = try #require(builder.build(settings: DetectorSettings()))
        #expect(calibration.warnings.contains { $0.contains("only 2.0 s") })
        #expect(calibration.warnings.contains { $0.contains("was someone moving") })
    }

    @Test func presenceScoreIsTheDistanceToTheClosestReference() {
        let calibration = Calibration(profiles: [[1, 2, 3, 4], [4, 3, 2, 1]], motionThreshold: 1, presenceThreshold: 1,
                                      windows: 2, seconds: 1, motionP95: 0, presenceP95: 0, warnings: [])
        // Same shape at twice the gain: distance 0.
        #expect(abs(calibration.presenceScore([2, 4, 6, 8])) < 1e-6)
        // [1,3,2,4]/2.5 vs [1,2,3,4]/2.5: differences (0, 0.4, -0.4, 0) -> RMS sqrt(0.08).
        #expect(abs(calibration.presenceScore([1, 3, 2, 4]) - 0.08.squareRoot()) < 1e-5)
        #expect(Calibration(profiles: [], motionThreshold: 1, presenceThreshold: 1, windows: 0, seconds: 0,
                            motionP95: 0, presenceP95: 0, warnings: []).presenceScore([1, 2]) == 0)
    }
}
