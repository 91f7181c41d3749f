import DSP
import Testing

/// Adds `frames` row-major frames of `channels` values to `covariance`.
private func feed(_ covariance: inout WindowCovariance, _ values: [Float], frames: Int, channels: Int) {
    values.withUnsafeBufferPointer { all in
        for f in 0..<frames {
            covariance.add(UnsafeBufferPointer(rebasing: all[(f * channels)..<((f + 1) * channels)]))
        }
    }
}

/// Amplitude-like frames: per channel a high level and a small spread, plus a shared component
/// (so correlations are not all near 0) that `shared` scales.
private func amplitudes(frames: Int, channels: Int, shared: Float, random: inout TestRandom) -> [Float] {
    let levels = random.floats(channels, in: 20...120)
    let spreads = random.floats(channels, in: 0.1...5)
    let loadings = random.floats(channels, in: -1...1)
    var values = [Float](repeating: 0, count: frames * channels)
    for f in 0..<frames {
        let common = Float.random(in: -1...1, using: &random)
        for s in 0..<channels {
            values[f * channels + s] = levels[s] + spreads[s] * Float.random(in: -1...1, using: &random) + shared * loadings[s] * common
        }
    }
    return values
}

@Suite("WindowCovariance")
struct WindowCovarianceTests {
    @Test("covariance and correlation agree with the two-pass Double reference")
    func matchesReference() throws {
        var random = TestRandom(seed: 70)
        for channels in [1, 3, 7, 8, 9, 12, 16, 17, 23, 31, 32, 33, 52, 57, 64] {
            for frames in [1, 2, 3, 20, 137, 1000] {
                let values = amplitudes(frames: frames, channels: channels, shared: 2, random: &random)
                var covariance = try WindowCovariance(channels: channels)
                feed(&covariance, values, frames: frames, channels: channels)
                #expect(covariance.count == frames)
                let cells = channels * channels
                var cov = [Float](repeating: .nan, count: cells)
                var cor = [Float](repeating: .nan, count: cells)
                var refCov = [Float](repeating: .nan, count: cells)
                var refCor = [Float](repeating: .nan, count: cells)
                cov.withUnsafeMutableBufferPointer { covariance.covariance(into: $0) }
                cor.withUnsafeMutableBufferPointer { covariance.correlation(into: $0) }
                values.withUnsafeBufferPointer { all in
                    refCov.withUnsafeMutableBufferPointer { c in
                        refCor.withUnsafeMutableBufferPointer { ScalarReference.windowCovariance(all, frames: frames, channels: channels, covariance: c, correlation: $0) }
                    }
                }
                // Covariances relative to the channels' spreads (√(σᵢ²σⱼ²)), correlations absolute.
                let badCov = (0..<cells).filter { k in
                    let i = k / channels, j = k % channels
                    let scale = (refCov[i * channels + i] * refCov[j * channels + j]).squareRoot() + 1e-9
                    return !close(cov[k], refCov[k], relative: 2e-4, scale: scale)
                }
                let badCor = (0..<cells).filter { abs(cor[$0] - refCor[$0]) > 5e-4 }
                #expect(badCov.isEmpty, "covariance, \(channels) channels x \(frames) frames: \(badCov.prefix(4).map { (cov[$0], refCov[$0]) })")
                #expect(badCor.isEmpty, "correlation, \(channels) channels x \(frames) frames: \(badCor.prefix(4).map { (cor[$0], refCor[$0]) })")
                #expect((0..<channels).allSatisfy { i in (0..<channels).allSatisfy { cov[i * channels + $0] == cov[$0 * channels + i] } })
            }
        }
    }

    @Test("the scalar per-frame accumulation matches the kernel's result")
    func scalarAddMatches() throws {
        var random = TestRandom(seed: 71)
        for channels in [5, 16, 19, 64] {
            let frames = 50
            let values = amplitudes(frames: frames, channels: channels, shared: 1, random: &random)
            var shift = [Float](repeating: 0, count: channels)
            var sums = [Float](repeating: 0, count: channels)
            var products = [Float](repeating: 0, count: channels * channels)
            var count = 0
            values.withUnsafeBufferPointer { all in
                for f in 0..<frames {
                    shift.withUnsafeMutableBufferPointer { sh in
                        sums.withUnsafeMutableBufferPointer { su in
                            products.withUnsafeMutableBufferPointer {
                                ScalarReference.covarianceAdd(UnsafeBufferPointer(rebasing: all[(f * channels)..<((f + 1) * channels)]),
                                                              channels: channels, frames: &count, shift: sh, sums: su, products: $0)
                            }
                        }
                    }
                }
            }
            var covariance = try WindowCovariance(channels: channels)
            feed(&covariance, values, frames: frames, channels: channels)
            var cov = [Float](repeating: .nan, count: channels * channels)
            cov.withUnsafeMutableBufferPointer { covariance.covariance(into: $0) }
            #expect(count == frames)
            for i in 0..<channels {
                for j in i..<channels {
                    let n = Double(frames)
                    let want = Double(products[i * channels + j]) / n - Double(sums[i]) / n * Double(sums[j]) / n
                    #expect(abs(Double(cov[i * channels + j]) - want) <= 1e-5 * max(1, abs(want)), "\(channels) channels, [\(i), \(j)]")
                }
            }
        }
    }

    @Test("reset starts a new window; constant channels correlate with nothing")
    func resetAndConstantChannels() throws {
        var covariance = try WindowCovariance(channels: 3)
        // A window of unrelated data first, then a fresh one: x, 2x + 1, and a constant.
        feed(&covariance, [9, 1, 4, 2, 7, 7, 5, 5, 1], frames: 3, channels: 3)
        covariance.reset()
        #expect(covariance.count == 0)
        feed(&covariance, [1, 3, 5, 2, 5, 5, 3, 7, 5, 4, 9, 5], frames: 4, channels: 3)
        var cov = [Float](repeating: .nan, count: 9)
        var cor = [Float](repeating: .nan, count: 9)
        var mean = [Float](repeating: .nan, count: 3)
        cov.withUnsafeMutableBufferPointer { covariance.covariance(into: $0) }
        cor.withUnsafeMutableBufferPointer { covariance.correlation(into: $0) }
        mean.withUnsafeMutableBufferPointer { covariance.mean(into: $0) }
        #expect(mean == [2.5, 6, 5])
        #expect(cov == [1.25, 2.5, 0, 2.5, 5, 0, 0, 0, 0])
        #expect(cor == [1, 1, 0, 1, 1, 0, 0, 0, 0])
    }

    @Test("fewer than two frames give zeros; bad channel counts throw")
    func edges() throws {
        var covariance = try WindowCovariance(channels: 2)
        var cov = [Float](repeating: .nan, count: 4)
        cov.withUnsafeMutableBufferPointer { covariance.covariance(into: $0) }
        #expect(cov == [0, 0, 0, 0])
        [Float(3), 4].withUnsafeBufferPointer { covariance.add($0) }
        cov.withUnsafeMutableBufferPointer { covariance.correlation(into: $0) }
        #expect(cov == [0, 0, 0, 0])
        #expect(throws: DSPError.invalidChannelCount(0)) { try WindowCovariance(channels: 0) }
        #expect(throws: DSPError.invalidChannelCount(257)) { try WindowCovariance(channels: 257) }
    }

    @Test("principal share: lockstep channels give 1, independent noise about 1/S")
    func principalShare() {
        let n = 8
        let ones = [Float](repeating: 1, count: n * n)
        #expect(abs(ones.withUnsafeBufferPointer { PrincipalComponent.share($0, size: n) } - 1) < 1e-6)
        var identity = [Float](repeating: 0, count: n * n)
        for i in 0..<n { identity[i * n + i] = 1 }
        #expect(abs(identity.withUnsafeBufferPointer { PrincipalComponent.share($0, size: n) } - 1 / Double(n)) < 1e-6)
        // diag(4, 1, 1): eigenvalue 4 on an axis the all-ones start is not aligned with.
        let diagonal: [Float] = [1, 0, 0, 0, 4, 0, 0, 0, 1]
        #expect(abs(diagonal.withUnsafeBufferPointer { PrincipalComponent.largestEigenvalue($0, size: 3) } - 4) < 1e-4)
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1.
        let pair: [Float] = [2, 1, 1, 2]
        #expect(abs(pair.withUnsafeBufferPointer { PrincipalComponent.share($0, size: 2) } - 0.75) < 1e-6)
        #expect([Float](repeating: 0, count: 4).withUnsafeBufferPointer { PrincipalComponent.share($0, size: 2) } == 0)
    }
}
