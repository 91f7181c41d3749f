import DSP

/// SIMD kernels against their scalar references on the same buffers (64-subcarrier frames).
enum KernelBench {
    static func runAll() {
        print("kernel                        SIMD ns/call   scalar ns/call   speed-up")
        let pairs = (0..<128).map { Int8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var amplitudes = [Float](repeating: 0, count: 64)
        let a = (0..<52).map { Float($0 % 7) + 0.5 }
        let b = (0..<52).map { Float(($0 * 3) % 11) + 0.25 }
        let iterations = 2_000_000

        report("amplitude (64 int8 pairs)", iterations: iterations, simd: {
            pairs.withUnsafeBufferPointer { src in amplitudes.withUnsafeMutableBufferPointer { Amplitude.fromInt8Pairs(src, into: $0) } }
        }, scalar: {
            pairs.withUnsafeBufferPointer { src in amplitudes.withUnsafeMutableBufferPointer { ScalarReference.amplitudeFromInt8Pairs(src, into: $0) } }
        })
        var sink: Float = 0
        report("pearson (52 subcarriers)", iterations: iterations, simd: {
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in sink += Vector.pearson(x, y) } }
        }, scalar: {
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in sink += ScalarReference.pearson(x, y) } }
        })
        report("shape distance (52)", iterations: iterations, simd: {
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in sink += Vector.shapeDistance(x, y) } }
        }, scalar: {
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in sink += ScalarReference.shapeDistance(x, y) } }
        })
        var moments = WindowMoments(capacity: 52)
        moments.reset(subcarriers: 52)
        var sums = [Double](repeating: 0, count: 52)
        var squares = [Double](repeating: 0, count: 52)
        report("window moments add (52)", iterations: iterations, simd: {
            a.withUnsafeBufferPointer { moments.add($0) }
        }, scalar: {
            for i in 0..<52 {
                let x = Double(a[i])
                sums[i] += x
                squares[i] += x * x
            }
        })
        if sink.isNaN || sums[0] < 0 || squares[0] < 0 || moments.count < 0 { print("(sink)") }

        // Spectral and outlier kernels. "vs radix-2 FFT": a textbook complex FFT on all 128 points
        // (part of the speed-up is the real-input packing, half the points); "vs Double DFT": the
        // O(n²) test reference, not a fair speed baseline, shown for scale.
        do {
            var fft = try RealFFT(count: 128)
            let series: [Float] = (0..<128).map { m in
                let ramp = Float(m % 16) / 16
                let ripple = Float((m * 7) % 5)
                return 40 + 3 * ramp + 0.2 * ripple
            }
            var spectrum = [Float](repeating: 0, count: fft.binCount)
            var scratchReal = [Float](repeating: 0, count: 128)
            var scratchImag = [Float](repeating: 0, count: 128)
            var dftReal = [Double](repeating: 0, count: fft.binCount)
            var dftImag = [Double](repeating: 0, count: fft.binCount)
            report("FFT power 128 vs radix-2 FFT", iterations: 200_000, simd: {
                series.withUnsafeBufferPointer { x in spectrum.withUnsafeMutableBufferPointer { fft.powerSpectrum(x, into: $0) } }
            }, scalar: {
                series.withUnsafeBufferPointer { x in
                    spectrum.withUnsafeMutableBufferPointer { p in
                        scratchReal.withUnsafeMutableBufferPointer { r in
                            scratchImag.withUnsafeMutableBufferPointer { ScalarReference.fftPowerSpectrum(x, into: p, scratchReal: r, scratchImag: $0) }
                        }
                    }
                }
            })
            report("FFT power 128 vs Double DFT", iterations: 2_000, simd: {
                series.withUnsafeBufferPointer { x in spectrum.withUnsafeMutableBufferPointer { fft.powerSpectrum(x, into: $0) } }
            }, scalar: {
                series.withUnsafeBufferPointer { x in
                    dftReal.withUnsafeMutableBufferPointer { r in dftImag.withUnsafeMutableBufferPointer { ScalarReference.dft(x, real: r, imaginary: $0) } }
                }
            })

            // 52-channel frames with about 1 % spikes; both sides step through the same 64 frames.
            let channels = 52
            let frames = 64
            let stream: [Float] = (0..<((frames + 8) * channels)).map { i in
                let f = i / channels, c = i % channels
                let spike: Float = (f * 31 + c * 17) % 97 == 0 ? 25 : 0
                let pattern = Float((f + c) % 7)
                return 30 + Float(c % 9) + 0.3 * pattern + spike
            }
            var filtered = [Float](repeating: 0, count: channels)
            var frame = 0
            var replaced = 0
            for window in [7, 9] {
                var hampel = try HampelFilter(channels: channels, window: window)
                report("Hampel w=\(window) (52 channels)", iterations: 200_000, simd: {
                    stream.withUnsafeBufferPointer { s in
                        filtered.withUnsafeMutableBufferPointer {
                            replaced &+= hampel.filter(UnsafeBufferPointer(rebasing: s[(frame * channels)..<((frame + 1) * channels)]), into: $0)
                        }
                    }
                    frame = (frame + 1) % frames
                }, scalar: {
                    stream.withUnsafeBufferPointer { s in
                        filtered.withUnsafeMutableBufferPointer {
                            replaced &+= ScalarReference.hampelNewest(UnsafeBufferPointer(rebasing: s[(frame * channels)..<((frame + window) * channels)]),
                                                                      window: window, channels: channels, threshold: 3, into: $0)
                        }
                    }
                    frame = (frame + 1) % frames
                })
            }
            if spectrum[0].isNaN || dftReal[0].isNaN || replaced < 0 { print("(sink)") }

            // Covariance accumulation, one frame per call, cycling through 64 frames; both sides
            // start a new window every 64 frames so their sums stay the same size.
            for channels in [16, 32, 64] {
                let source: [Float] = (0..<(64 * channels)).map { i in
                    let f = i / channels, c = i % channels
                    return 40 + Float(c % 9) + 0.3 * Float((f * 5 + c * 3) % 7)
                }
                var covariance = try WindowCovariance(channels: channels)
                var shift = [Float](repeating: 0, count: channels)
                var sums = [Float](repeating: 0, count: channels)
                var products = [Float](repeating: 0, count: channels * channels)
                var scalarFrames = 0
                var row = 0
                report("covariance add (S=\(channels))", iterations: 200_000, simd: {
                    if row == 0 { covariance.reset() }
                    source.withUnsafeBufferPointer { covariance.add(UnsafeBufferPointer(rebasing: $0[(row * channels)..<((row + 1) * channels)])) }
                    row = (row + 1) % 64
                }, scalar: {
                    if row == 0 {
                        scalarFrames = 0
                        for i in sums.indices { sums[i] = 0 }
                        for i in products.indices { products[i] = 0 }
                    }
                    source.withUnsafeBufferPointer { all in
                        shift.withUnsafeMutableBufferPointer { sh in
                            sums.withUnsafeMutableBufferPointer { su in
                                products.withUnsafeMutableBufferPointer {
                                    ScalarReference.covarianceAdd(UnsafeBufferPointer(rebasing: all[(row * channels)..<((row + 1) * channels)]),
                                                                  channels: channels, frames: &scalarFrames, shift: sh, sums: su, products: $0)
                                }
                            }
                        }
                    }
                    row = (row + 1) % 64
                })
                if covariance.count < 0 || products[1].isNaN { print("(sink)") }
            }
        } catch {
            print("spectral kernels: \(error)")
        }
    }

    static func report(_ name: String, iterations: Int, simd: () -> Void, scalar: () -> Void) {
        func time(_ body: () -> Void) -> Double {
            let start = ContinuousClock.now
            for _ in 0..<iterations { body() }
            return (ContinuousClock.now - start).seconds * 1e9 / Double(iterations)
        }
        _ = time(simd)
        let s = time(simd)
        let r = time(scalar)
        let padded = name.padding(toLength: 30, withPad: " ", startingAt: 0)
        print("\(padded)\(String(format: "%12.1f   %14.1f   %7.2fx", s, r, r / s))")
    }
}
