import Foundation
import GatewayCore
import Inference
import Testing

@Suite struct CalibrationDocumentTests {
    static let calibration = Calibration(
        profiles: [[1.25, 2.5, 0.1, 3.3333333], [4, 3, 2, 1e-7]], motionThreshold: 0.012345678901234, presenceThreshold: 0.045,
        windows: 51, seconds: 10.2, motionP95: 0.0041152263, presenceP95: 0.015, warnings: ["a \"quoted\" warning"],
        gainStepFraction: 0.0625, gainCompensated: true, levelReference: 13.7, levelWeight: 0.31)

    @Test func roundTripIsExact() throws {
        let text = try CalibrationDocument.encode(Self.calibration)
        #expect(text.hasPrefix(#"{"calibration":"#))
        #expect(text.contains(#""format":1"#))
        #expect(try CalibrationDocument.decode(text, what: "test") == Self.calibration)
    }

    @Test func nonFiniteFiguresSurvive() throws {
        var calibration = Self.calibration
        calibration.motionP95 = .infinity
        calibration.presenceP95 = .nan
        let decoded = try CalibrationDocument.decode(try CalibrationDocument.encode(calibration), what: "test")
        #expect(decoded.motionP95 == .infinity)
        #expect(decoded.presenceP95.isNaN)
    }

    @Test func newerFormatAndDamageAreNamedErrors() throws {
        let newer = try CalibrationDocument.encode(Self.calibration).replacingOccurrences(of: #""format":1"#, with: #""format":7"#)
        let future = #expect(throws: GatewayError.self) { try CalibrationDocument.decode(newer, what: "row 3") }
        #expect(future?.message.contains("row 3 has calibration format 7") == true)
        #expect(future?.message.contains("upgrade the gateway") == true)

        let garbage = #expect(throws: GatewayError.self) { try CalibrationDocument.decode("{not json", what: "row 4") }
        #expect(garbage?.message.contains("row 4 is not a calibration document") == true)

        let damaged = #expect(throws: GatewayError.self) {
            try CalibrationDocument.decode(#"{"format":1,"calibration":{"windows":3}}"#, what: "row 5")
        }
        #expect(damaged?.message.contains("row 5 is a damaged calibration") == true)
        #expect(damaged?.message.contains("missing") == true)
    }

    @Test func verdictIsPoorWhenShortOrRestless() {
        #expect(Self.calibration.quality.verdict == .poor)  // its warning is not the AGC notice
        var good = Self.calibration
        good.warnings = ["the receiver's gain jumped in 6.2% of frames (AGC not locked): ..."]
        #expect(good.quality == CalibrationQuality(good))
        #expect(good.quality.verdict == .good)
        #expect(good.quality.reasons.isEmpty)

        var short = good
        short.seconds = 2
        short.warnings.append("calibration covers only 2.0 s; use at least 5 s of an empty room")
        #expect(short.quality.isPoor)
        #expect(short.quality.reasons.count == 1)
        #expect(short.quality.reasons[0].contains("too short"))

        var restless = good
        restless.warnings.append("motion scores varied strongly during calibration (p95/median > 8): was someone moving?")
        #expect(restless.quality.reasons == [restless.warnings[1]])
    }

    @Test func unsteadyMotionIsFoundInTheLoudPart() throws {
        let quiet = (0..<50).map { 0.001 * (1 + Double($0 % 5) / 10) }
        #expect(CalibrationQuality.unsteadyMotionWarning(motionScores: quiet, seconds: 10) == nil)
        var walked = quiet
        for i in 20..<30 { walked[i] = 0.05 }
        let warning = try #require(CalibrationQuality.unsteadyMotionWarning(motionScores: walked, seconds: 10))
        #expect(warning.hasPrefix("motion between 4.0 s and 6.0 s"))
        #expect(CalibrationQuality.unsteadyMotionWarning(motionScores: [1, 2, 3], seconds: 1) == nil)
    }
}
