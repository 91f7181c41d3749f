import DSP
import Testing

@Suite("Vector")
struct VectorTests {
    @Test("sum, mean, dot and sum of squares agree with the scalar reference")
    func reductionsMatchScalar() {
        var random = TestRandom(seed: 10)
        for n in testLengths {
            let a = random.floats(n, in: -100...100)
            let b = random.floats(n, in: -3...50)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    let absA = a.reduce(Float(0)) { $0 + abs($1) }
                    let absAB = zip(a, b).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
                    let squares = ScalarReference.sumOfSquares(a)
                    #expect(close(Vector.sum(a), ScalarReference.sum(a), scale: absA), "sum n=\(n)")
                    #expect(close(Vector.mean(a), ScalarReference.mean(a), scale: n == 0 ? 0 : absA / Float(n)), "mean n=\(n)")
                    #expect(close(Vector.dot(a, b), ScalarReference.dot(a, b), scale: absAB), "dot n=\(n)")
                    #expect(close(Vector.sumOfSquares(a), squares, scale: squares), "sumOfSquares n=\(n)")
                }
            }
        }
    }

    @Test("pearson agrees with the scalar reference")
    func pearsonMatchesScalar() {
        var random = TestRandom(seed: 11)
        for n in testLengths {
            let a = random.floats(n, in: 20...60)
            let mix = Float.random(in: -1...1, using: &random)
            let noise = random.floats(n, in: -5...5)
            let b = (0..<n).map { 1000 + mix * a[$0] + noise[$0] }
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    let fast = Vector.pearson(a, b)
                    let slow = ScalarReference.pearson(a, b)
                    #expect(close(fast, slow, scale: 1), "n=\(n): \(fast) vs \(slow)")
                    #expect(abs(fast) <= 1)
                }
            }
        }
    }

    @Test("pearson: known values and zero variance")
    func pearsonKnownValues() {
        let x: [Float] = (0..<37).map { Float($0 % 11) * 0.5 }
        let up = x.map { 2 * $0 + 3 }
        let down = x.map { 7 - $0 }
        let constant = [Float](repeating: 5, count: 37)
        let tenth = [Float](repeating: 0.1, count: 37)
        x.withUnsafeBufferPointer { x in
            #expect(abs(up.withUnsafeBufferPointer { Vector.pearson(x, $0) } - 1) < 1e-6)
            #expect(abs(down.withUnsafeBufferPointer { Vector.pearson(x, $0) } + 1) < 1e-6)
            #expect(constant.withUnsafeBufferPointer { Vector.pearson(x, $0) } == 0)
            #expect(constant.withUnsafeBufferPointer { Vector.pearson($0, x) } == 0)
            #expect(tenth.withUnsafeBufferPointer { Vector.pearson(x, $0) } == 0)
            #expect(Vector.pearson(UnsafeBufferPointer(rebasing: x[..<1]), UnsafeBufferPointer(rebasing: x[..<1])) == 0)
        }
        // Hand-computed: cov = 2, var a = 2, var b = 8/3 (× n) -> r = 2 / sqrt(2 · 8/3) ≈ 0.8660254.
        let a: [Float] = [1, 2, 3]
        let b: [Float] = [1, 3, 3]
        let r = a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { Vector.pearson(a, $0) } }
        #expect(abs(r - 0.8660254) < 1e-6)
    }

    @Test("known sums")
    func knownSums() {
        let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]
        x.withUnsafeBufferPointer { x in
            #expect(Vector.sum(x) == 171)
            #expect(Vector.mean(x) == 9.5)
            #expect(Vector.sumOfSquares(x) == 2109)
            #expect(Vector.dot(x, x) == 2109)
            #expect(Vector.sum(UnsafeBufferPointer(start: nil, count: 0)) == 0)
            #expect(Vector.mean(UnsafeBufferPointer(start: nil, count: 0)) == 0)
        }
    }

    @Test("scale in place equals the scalar reference")
    func scaleMatchesScalar() {
        var random = TestRandom(seed: 12)
        for n in testLengths {
            var fast = random.floats(n, in: -100...100)
            var slow = fast
            let factor = Float.random(in: -3...3, using: &random)
            fast.withUnsafeMutableBufferPointer { Vector.scale($0, by: factor) }
            slow.withUnsafeMutableBufferPointer { ScalarReference.scale($0, by: factor) }
            #expect(fast == slow, "n=\(n)")
        }
    }
}

@Suite("Vector shape distance")
struct ShapeDistanceTests {
    @Test("shape distance agrees with the scalar reference")
    func matchesScalar() {
        var random = TestRandom(seed: 12)
        for n in testLengths {
            let a = random.floats(n, in: 5...60)
            let b = random.floats(n, in: 5...60)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    let fast = Vector.shapeDistance(a, b)
                    let slow = ScalarReference.shapeDistance(a, b)
                    #expect(close(fast, slow, relative: 1e-4, scale: max(slow, 1e-3)), "n=\(n): \(fast) vs \(slow)")
                }
            }
        }
    }

    @Test("shape distance ignores gain and measures relative change")
    func knownValues() {
        let a: [Float] = (0..<52).map { 20 + Float($0 % 5) }
        let louder = a.map { $0 * 3.7 }
        var bumped = a
        bumped[10] *= 1.5
        a.withUnsafeBufferPointer { a in
            #expect(louder.withUnsafeBufferPointer { Vector.shapeDistance(a, $0) } < 1e-6)
            let d = bumped.withUnsafeBufferPointer { Vector.shapeDistance(a, $0) }
            // One of 52 elements 50 % higher: about 0.5·x/mean/sqrt(52), minus the mean shift.
            #expect(d > 0.05 && d < 0.09)
            #expect(Vector.shapeDistance(a, UnsafeBufferPointer(start: nil, count: 0)) == 0)
        }
    }
}
