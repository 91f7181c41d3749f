import DSP
import Testing

@Suite("WindowMoments and RunningMoments")
struct MomentsTests {
    @Test("window mean and variance agree with the two-pass reference")
    func windowMatchesReference() {
        var random = TestRandom(seed: 20)
        for subcarriers in [1, 7, 15, 16, 17, 31, 52, 64, 100] {
            for frames in [1, 2, 10, 500] {
                // Amplitude-like data: a high level with a small spread, the case Float sums get wrong.
                let levels = random.floats(subcarriers, in: 20...120)
                let spreads = random.floats(subcarriers, in: 0.1...5)
                var values = [Float](repeating: 0, count: frames * subcarriers)
                for f in 0..<frames {
                    for s in 0..<subcarriers {
                        values[f * subcarriers + s] = levels[s] + spreads[s] * Float.random(in: -1...1, using: &random)
                    }
                }
                var moments = WindowMoments(capacity: 8)
                moments.reset(subcarriers: subcarriers)
                values.withUnsafeBufferPointer { all in
                    for f in 0..<frames {
                        moments.add(UnsafeBufferPointer(rebasing: all[(f * subcarriers)..<((f + 1) * subcarriers)]))
                    }
                }
                #expect(moments.count == frames)
                var mean = [Float](repeating: .nan, count: subcarriers)
                var variance = [Float](repeating: .nan, count: subcarriers)
                var refMean = [Float](repeating: .nan, count: subcarriers)
                var refVariance = [Float](repeating: .nan, count: subcarriers)
                mean.withUnsafeMutableBufferPointer { moments.mean(into: $0) }
                variance.withUnsafeMutableBufferPointer { moments.variance(into: $0) }
                values.withUnsafeBufferPointer { all in
                    refMean.withUnsafeMutableBufferPointer { m in
                        refVariance.withUnsafeMutableBufferPointer { v in
                            ScalarReference.windowMoments(all, frames: frames, subcarriers: subcarriers, mean: m, variance: v)
                        }
                    }
                }
                let badMean = (0..<subcarriers).filter { !close(mean[$0], refMean[$0], scale: refMean[$0]) }
                // Variance relative to itself (plus a hair for the single-frame case, where it is 0).
                let badVariance = (0..<subcarriers).filter {
                    !close(variance[$0], refVariance[$0], scale: refVariance[$0] + 1e-9 * refMean[$0] * refMean[$0])
                }
                #expect(badMean.isEmpty, "mean, \(subcarriers) subcarriers x \(frames) frames: \(badMean.prefix(4))")
                #expect(badVariance.isEmpty, "variance, \(subcarriers) subcarriers x \(frames) frames: \(badVariance.prefix(4))")
            }
        }
    }

    @Test("window known values, reset and empty window")
    func windowKnownValues() {
        var moments = WindowMoments(capacity: 2)
        #expect(moments.subcarriers == 2)
        moments.reset(subcarriers: 18)
        #expect(moments.subcarriers == 18)
        for value: Float in [1, 2, 3] {
            let frame = [Float](repeating: value, count: 18) + [99]
            frame.withUnsafeBufferPointer { moments.add($0) }
        }
        var mean = [Float](repeating: 0, count: 18)
        var variance = [Float](repeating: 0, count: 18)
        mean.withUnsafeMutableBufferPointer { moments.mean(into: $0) }
        variance.withUnsafeMutableBufferPointer { moments.variance(into: $0) }
        #expect(mean.allSatisfy { $0 == 2 })
        #expect(variance.allSatisfy { abs($0 - 2.0 / 3.0) < 1e-7 })

        moments.reset(subcarriers: 3)
        #expect(moments.count == 0)
        var empty = [Float](repeating: -1, count: 3)
        empty.withUnsafeMutableBufferPointer { moments.variance(into: $0) }
        #expect(empty == [0, 0, 0])
        [Float(4), 5, 6].withUnsafeBufferPointer { moments.add($0) }
        empty.withUnsafeMutableBufferPointer { moments.mean(into: $0) }
        #expect(empty == [4, 5, 6], "reset clears earlier sums")
    }

    @Test("running moments equal the scalar reference step by step")
    func runningMatchesReference() {
        var random = TestRandom(seed: 21)
        for subcarriers in [1, 15, 16, 17, 52, 64, 129] {
            let alpha = Float.random(in: 0.01...0.5, using: &random)
            var running = RunningMoments(subcarriers: subcarriers, alpha: alpha)
            var refMean = [Float](repeating: 0, count: subcarriers)
            var refVariance = [Float](repeating: 0, count: subcarriers)
            for step in 0..<200 {
                let x = random.floats(subcarriers, in: 20...40)
                x.withUnsafeBufferPointer { x in
                    running.update(x)
                    refMean.withUnsafeMutableBufferPointer { m in
                        refVariance.withUnsafeMutableBufferPointer { v in
                            ScalarReference.runningMomentsUpdate(mean: m, variance: v, x: x, alpha: alpha, primed: step > 0)
                        }
                    }
                }
            }
            #expect(running.count == 200)
            #expect(running.means == refMean, "\(subcarriers) subcarriers")
            #expect(running.variances == refVariance, "\(subcarriers) subcarriers")
        }
    }

    @Test("running moments: priming, constant input and convergence")
    func runningKnownValues() {
        var running = RunningMoments(subcarriers: 20, alpha: 0.1)
        let constant = [Float](repeating: 7, count: 20)
        for _ in 0..<10 { constant.withUnsafeBufferPointer { running.update($0) } }
        #expect(running.means.allSatisfy { $0 == 7 })
        #expect(running.variances.allSatisfy { $0 == 0 })

        // Alternating ±1 around 0: for small α the EW variance settles near 1, the population variance.
        var alternating = RunningMoments(subcarriers: 20, alpha: 0.01)
        for i in 0..<5_000 {
            let x = [Float](repeating: i % 2 == 0 ? 1 : -1, count: 20)
            x.withUnsafeBufferPointer { alternating.update($0) }
        }
        var variance = [Float](repeating: 0, count: 20)
        variance.withUnsafeMutableBufferPointer { alternating.variance(into: $0) }
        #expect(variance.allSatisfy { abs($0 - 1) < 0.02 })

        alternating.reset()
        #expect(alternating.count == 0)
        constant.withUnsafeBufferPointer { alternating.update($0) }
        #expect(alternating.means.allSatisfy { $0 == 7 }, "the first update after reset primes the mean")
    }
}
