import GatewayCore
import Inference
import Testing

@Suite struct SensingPipelineTests {
    /// 10 s still (calibration), 5 s of strong fluctuation, 10 s still.
    @Test func calibratesThenDetectsTheMovingPhaseOnly() throws {
        var pipeline = SensingPipeline(settings: DetectorSettings())
        var gen = SyntheticFrames()
        var output = SensingPipeline.Output()
        for i in 0..<2500 {
            let t = Double(i) / 100
            let wobble = (t >= 12 && t < 17) ? 0.25 : 0.0
            pipeline.process(gen.frame(sequence: UInt32(i), time: Int64(i) * 10_000, wobble: wobble), into: &output)
        }
        pipeline.finish(into: &output)
        #expect(output.calibrated.count == 1)
        let motion = output.events.filter { $0.kind == .motion && $0.end != nil }
        #expect(motion.count == 1)
        let event = try #require(motion.first)
        #expect(event.start >= 11_800_000 && event.start <= 12_600_000)
        #expect(try #require(event.end) <= 17_400_000)
        #expect(output.features.count >= 120)
        let presence = output.events.filter { $0.kind == .presence && $0.end != nil }
        #expect(presence.count == 1)
    }

    @Test func presetCalibrationSkipsLearning() {
        let calibration = Calibration(profiles: [], motionThreshold: 1e9, presenceThreshold: 1e9, windows: 1, seconds: 1,
                                      motionP95: 0, presenceP95: 0, warnings: [])
        var pipeline = SensingPipeline(settings: DetectorSettings(), fallback: calibration)
        var gen = SyntheticFrames()
        var output = SensingPipeline.Output()
        for i in 0..<500 { pipeline.process(gen.frame(sequence: UInt32(i), time: Int64(i) * 10_000, wobble: 0.3), into: &output) }
        pipeline.finish(into: &output)
        #expect(output.calibrated.isEmpty)
        #expect(output.events.isEmpty)
        #expect(pipeline.calibration(for: "n1") == calibration)
    }
}
