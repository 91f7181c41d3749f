import DSP
import Testing

/// Runs `frames` (row-major, `channels` per frame) through `filter`; returns outputs and counts.
private func run(_ filter: inout HampelFilter, _ frames: [Float], channels: Int) -> (out: [Float], replaced: [Int]) {
    var out = [Float](repeating: .nan, count: frames.count)
    var replaced: [Int] = []
    frames.withUnsafeBufferPointer { all in
        out.withUnsafeMutableBufferPointer { dst in
            for f in 0..<(frames.count / channels) {
                let range = (f * channels)..<((f + 1) * channels)
                replaced.append(filter.filter(UnsafeBufferPointer(rebasing: all[range]), into: UnsafeMutableBufferPointer(rebasing: dst[range])))
            }
        }
    }
    return (out, replaced)
}

/// Level 40 plus a 7-periodic pattern per channel: every 7-frame window holds the same values,
/// so the median is the level and 1.4826·MAD ≈ 0.44, and clean frames are never replaced.
private func patterned(frames: Int, channels: Int, level: (Int) -> Float = { _ in 40 }) -> [Float] {
    let pattern: [Float] = [-0.3, 0.1, 0.4, -0.2, 0, 0.3, -0.4]
    return (0..<(frames * channels)).map { i in
        let f = i / channels, c = i % channels
        return level(f) + pattern[(f + c) % 7]
    }
}

@Suite("HampelFilter")
struct HampelFilterTests {
    @Test("agrees exactly with the scalar reference on data with spikes, ties and flat runs")
    func matchesReference() throws {
        var random = TestRandom(seed: 50)
        for channels in [1, 3, 8, 9, 16, 52, 57, 64, 256] {
            for window in [3, 5, 7, 9, 11, 15, 21, 63] where window < 63 || channels <= 64 {
                for (threshold, floor): (Float, Float) in [(3, 0), (2, 0.5), (0, 0)] {
                    let frameCount = window + (window > 21 ? 12 : 30)
                    var frames = [Float](repeating: 0, count: frameCount * channels)
                    for i in frames.indices {
                        let c = i % channels
                        // Half the channels quantised to 0.5 (ties, MAD = 0 windows), half continuous.
                        var v = 40 + Float(c % 5) + Float.random(in: -1...1, using: &random)
                        if c % 2 == 0 { v = (v * 2).rounded() / 2 }
                        if c % 11 == 3 && (i / channels) % 13 < 8 { v = 45 }  // flat runs
                        if Int.random(in: 0..<20, using: &random) == 0 { v += Float.random(in: -40...40, using: &random) }
                        frames[i] = v
                    }
                    var filter = try HampelFilter(channels: channels, window: window, threshold: threshold, minimumDeviation: floor)
                    let (out, replaced) = run(&filter, frames, channels: channels)
                    var expected = [Float](repeating: .nan, count: channels)
                    for f in 0..<frameCount {
                        let got = Array(out[(f * channels)..<((f + 1) * channels)])
                        let input = Array(frames[(f * channels)..<((f + 1) * channels)])
                        guard f >= window - 1 else {
                            #expect(got == input && replaced[f] == 0, "warm-up frame \(f) passes through")
                            continue
                        }
                        let count = frames.withUnsafeBufferPointer { all in
                            expected.withUnsafeMutableBufferPointer {
                                ScalarReference.hampelNewest(UnsafeBufferPointer(rebasing: all[((f - window + 1) * channels)..<((f + 1) * channels)]),
                                                             window: window, channels: channels, threshold: threshold,
                                                             minimumDeviation: floor, into: $0)
                            }
                        }
                        #expect(got == expected, "S=\(channels) w=\(window) k=\(threshold) frame \(f)")
                        #expect(replaced[f] == count, "S=\(channels) w=\(window) k=\(threshold) frame \(f)")
                    }
                }
            }
        }
    }

    @Test("isolated spikes and runs up to w/2 are removed; longer runs and steps are kept")
    func spikesAndSteps() throws {
        let channels = 52
        let step = 60
        var frames = patterned(frames: 80, channels: channels, level: { $0 >= step ? 50 : 40 })
        let spikes: [(frame: Int, channel: Int, size: Float)] = [
            (10, 0, 30), (12, 51, -25), (20, 7, 100), (21, 7, 100),  // single, single, a pair
            (30, 9, 20), (31, 9, 20), (32, 9, 20),                   // three in a row (w/2)
            (40, 20, 15), (41, 20, 15), (42, 20, 15), (43, 20, 15),  // four in a row: a short step
        ]
        for s in spikes { frames[s.frame * channels + s.channel] += s.size }
        var filter = try HampelFilter(channels: channels)
        let (out, replaced) = run(&filter, frames, channels: channels)
        func value(_ f: Int, _ c: Int) -> Float { out[f * channels + c] }

        for s in spikes.prefix(7) {
            #expect(abs(value(s.frame, s.channel) - 40) <= 0.41, "spike at frame \(s.frame), channel \(s.channel) removed")
        }
        // Four in a row is a short step: the first three go, the fourth holds the median and
        // passes, and then the return to the level is itself held back for three frames.
        for f in 40...42 { #expect(abs(value(f, 20) - 40) <= 0.41) }
        #expect(value(43, 20) == frames[43 * channels + 20])
        for f in 44...46 { #expect(abs(value(f, 20) - 55) <= 0.41) }
        #expect(value(47, 20) == frames[47 * channels + 20])
        let replacedBeforeStep: Int = replaced[..<step].reduce(0, +)
        #expect(replacedBeforeStep == 13, "only the 7 spikes and the short step's 3 + 3 edge frames are replaced")

        // The step: causal, so its first w/2 = 3 frames still read the old level, then it passes.
        for f in step..<(step + 3) {
            #expect((0..<channels).allSatisfy { abs(value(f, $0) - 40) <= 0.41 }, "frame \(f) held at the old level")
        }
        for f in (step + 3)..<80 {
            #expect((0..<channels).allSatisfy { abs(value(f, $0) - 50) <= 0.41 }, "frame \(f) follows the step")
        }
        #expect(Array(out[((step + 6) * channels)...]) == Array(frames[((step + 6) * channels)...]),
                "once the window holds only the new level, frames pass unchanged")
    }

    @Test("MAD = 0: any change is an outlier unless the deviation floor allows it")
    func flatWindow() throws {
        let frames: [Float] = [40, 40, 40, 40, 40, 40, 40, 41, 40]
        var strict = try HampelFilter(channels: 1)
        var floored = try HampelFilter(channels: 1, minimumDeviation: 1)
        #expect(run(&strict, frames, channels: 1).out == [40, 40, 40, 40, 40, 40, 40, 40, 40])
        #expect(run(&floored, frames, channels: 1).out == frames)
    }

    @Test("in place, reset and warm-up")
    func inPlaceAndReset() throws {
        let channels = 19
        var frames = patterned(frames: 30, channels: channels)
        frames[12 * channels + 4] = 90
        frames[25 * channels + 18] = -5
        var outOfPlace = try HampelFilter(channels: channels, window: 9)
        let expected = run(&outOfPlace, frames, channels: channels)
        #expect(expected.replaced.reduce(0, +) == 2)

        var inPlace = try HampelFilter(channels: channels, window: 9)
        var buffer = frames
        var counts: [Int] = []
        buffer.withUnsafeMutableBufferPointer { all in
            for f in 0..<30 {
                let frame = UnsafeMutableBufferPointer(rebasing: all[(f * channels)..<((f + 1) * channels)])
                counts.append(inPlace.filter(UnsafeBufferPointer(frame), into: frame))
            }
        }
        #expect(buffer == expected.out && counts == expected.replaced)

        #expect(inPlace.isPrimed)
        inPlace.reset()
        #expect(!inPlace.isPrimed)
        let again = run(&inPlace, frames, channels: channels)
        #expect(again.out == expected.out && again.replaced == expected.replaced, "reset starts over")
    }

    @Test("invalid parameters throw")
    func invalidParameters() {
        #expect(throws: DSPError.invalidChannelCount(0)) { try HampelFilter(channels: 0) }
        for w in [-1, 0, 1, 2, 4, 8, 64, 65, 101] {
            #expect(throws: DSPError.invalidWindowLength(w)) { try HampelFilter(channels: 4, window: w) }
        }
        #expect(throws: DSPError.invalidThreshold(-1)) { try HampelFilter(channels: 4, threshold: -1) }
        #expect(throws: DSPError.invalidThreshold(.infinity)) { try HampelFilter(channels: 4, threshold: .infinity) }
        #expect(throws: DSPError.self) { try HampelFilter(channels: 4, threshold: .nan) }
        #expect(throws: DSPError.invalidThreshold(-0.5)) { try HampelFilter(channels: 4, minimumDeviation: -0.5) }
        #expect(DSPError.invalidWindowLength(8).description.contains("got 8"))
    }
}
