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
