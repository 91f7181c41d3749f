import Foundation
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

    /// 50 quiet windows (10 s) with `loud` of them at 100x the motion.
    func disturbed(_ loud: Range<Int>) throws -> Calibration {
        var builder = CalibrationBuilder()
        for i in 0..<50 {
            builder.add(window(i, motion: loud.contains(i) ? 0.1 : 0.001 * (1 + Double(i % 5) / 10), profile: [1, 2, 3, 4]))
        }
        return try #require(builder.build(settings: DetectorSettings()))
    }

    @Test func aDisturbanceAtTheStartIsIgnored() throws {
        // 1.4 s of movement: the first part (0-2 s) is cut, nothing after it is loud.
        let calibration = try disturbed(0..<7)
        #expect(calibration.windows == 40)
        #expect(abs(calibration.seconds - 8) < 1e-9)
        #expect(calibration.motionP95 < 0.002)
        #expect(calibration.warnings.count == 1)
        #expect(calibration.warnings[0].hasPrefix("ignored its first 2.0 s of the calibration"))
        #expect(calibration.warnings[0].contains("remaining 8.0 s"))
        #expect(!calibration.quality.isPoor)
    }

    @Test func aDisturbanceRunningPastAPartBoundaryIsCutWindowByWindow() throws {
        // 2.2 s: part 0 (0-2 s) is cut, then the loud window that opens part 1.
        let calibration = try disturbed(0..<11)
        #expect(calibration.windows == 39)
        #expect(calibration.motionP95 < 0.002)
        #expect(calibration.warnings.first?.hasPrefix("ignored its first 2.2 s") == true)
    }

    @Test func aDisturbanceAtTheEndIsIgnored() throws {
        let calibration = try disturbed(44..<50)
        #expect(calibration.windows == 40)
        #expect(calibration.warnings.first?.hasPrefix("ignored its last 2.0 s") == true)
        #expect(!calibration.quality.isPoor)
    }

    @Test func aRestlessRemainderKeepsTheWholeSpan() throws {
        // A loud start, then a room whose scores spike now and then (p95/median > 8): cutting the
        // start would not leave an empty room, so nothing is cut.
        var builder = CalibrationBuilder()
        for i in 0..<50 {
            let motion = i < 8 ? 0.1 : (i % 10 == 3 ? 0.02 : 0.001)
            builder.add(window(i, motion: motion, profile: [1, 2, 3, 4]))
        }
        let calibration = try #require(builder.build(settings: DetectorSettings()))
        #expect(calibration.windows == 50)
        #expect(!calibration.warnings.contains { $0.hasPrefix("ignored") })
        #expect(calibration.quality.isPoor)
    }

    @Test func aDisturbanceInTheMiddleOrOverMostOfTheSpanIsKeptAndPoor() throws {
        let middle = try disturbed(20..<28)
        #expect(middle.windows == 50)
        #expect(middle.motionP95 > 0.05)
        #expect(middle.warnings.contains { $0.hasPrefix("motion between 4.0 s and 6.0 s") })
        #expect(middle.quality.isPoor)
        let most = try disturbed(0..<30)
        #expect(most.windows == 50)
        #expect(most.quality.isPoor)
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

@Suite struct LevelCueTests {
    func window(_ i: Int, level: Double) -> AnalysisWindow {
        let start = Int64(i) * 200_000
        return AnalysisWindow(
            features: WindowFeatures(device: "n1", start: start, end: start + 200_000, frames: 20, meanRSSI: -50,
                                     meanAmplitude: level, motionScore: 0.001, presenceScore: 0),
            profile: [1, 2, 3, 4])
    }

    @Test func levelChangesCountAsPresenceWhenTheGainIsLocked() throws {
        var builder = CalibrationBuilder()
        for i in 0..<100 { builder.add(window(i, level: 30 * (1 + 0.01 * Double(i % 5 - 2)))) }
        let calibration = try #require(builder.build(settings: DetectorSettings()))
        #expect(calibration.levelWeight > 0)
        #expect(abs(calibration.levelReference - 30) < 0.5)
        // Same shape, level 15 % lower: a still person shadowing the line of sight.
        #expect(calibration.presenceScore([1, 2, 3, 4], level: 25.5) > calibration.presenceThreshold)
        #expect(calibration.presenceScore([1, 2, 3, 4], level: 30.2) < calibration.presenceThreshold)
    }
}

/// Receivers whose AGC switches: the analyzer counts gain steps, and a calibration that saw them
/// judges motion on gain-compensated amplitudes.
@Suite struct GainCompensationTests {
    /// An LLTF frame whose 52 active subcarriers have amplitudes `shape(k) * gain`.
    func frame(_ index: Int, gain: Double, shape: (Int) -> Double) -> CSIFrame {
        var pairs = [Int8](repeating: 0, count: 128)
        for k in 0..<64 where k != 0 && (k <= 26 || k >= 38) {
            pairs[2 * k + 1] = Int8(max(-127, min(127, (shape(k) * gain).rounded())))
        }
        return CSIFrame(device: "agc", sequence: UInt32(index), timestamp: Int64(index) * 10_000, payload: .int8Pairs(pairs))
    }

    func windows(_ frames: [CSIFrame]) -> [AnalysisWindow] {
        var analyzer = DeviceAnalyzer(device: "agc", settings: DetectorSettings())
        return frames.compactMap { analyzer.add($0) } + [analyzer.flush()].compactMap { $0 }
    }

    @Test func gainStepsSwitchCalibrationToCompensatedScores() throws {
        // An empty room seen through a gain that flips between 1 and 0.5 every few frames.
        let still: (Int) -> Double = { 20 + Double($0 % 7) * 3 }
        let empty = (0..<1000).map { frame($0, gain: ($0 / 3) % 2 == 0 ? 2 : 1, shape: still) }
        var builder = CalibrationBuilder()
        let emptyWindows = windows(empty)
        for window in emptyWindows { builder.add(window) }
        #expect(emptyWindows.reduce(0) { $0 + $1.gainSteps } > 100)
        let calibration = try #require(builder.build(settings: DetectorSettings()))
        #expect(calibration.gainCompensated)
        #expect(calibration.warnings.contains { $0.contains("AGC not locked") })
        // Raw scores see the gain flips as huge motion; compensated ones see a still room.
        #expect(emptyWindows.allSatisfy { $0.features.motionScore > 0.05 && $0.compensatedMotionScore < 1e-3 })
        // A shape change (something moving) still shows after compensation.
        let moving: [CSIFrame] = (0..<100).map { i in
            let phase = Double(i) / 3
            let shape: (Int) -> Double = { k in still(k) * (1 + 0.3 * Foundation.sin(phase + Double(k))) }
            return frame(i, gain: (i / 3) % 2 == 0 ? 2 : 1, shape: shape)
        }
        let scores = windows(moving).map { calibration.motionScore(of: $0) }
        #expect(scores.allSatisfy { $0 > calibration.motionThreshold })
    }

    @Test func lockedGainKeepsRawScores() throws {
        let empty = (0..<1000).map { i in frame(i, gain: 1) { k in 20 + Double(k % 5) + (i % 2 == 0 ? 0.5 : 0) } }
        var builder = CalibrationBuilder()
        for window in windows(empty) { builder.add(window) }
        let calibration = try #require(builder.build(settings: DetectorSettings()))
        #expect(!calibration.gainCompensated)
        #expect(calibration.gainStepFraction == 0)
    }
}
