import DSP
import Testing

@Suite("Amplitude")
struct AmplitudeTests {
    @Test("int8 pairs: known values")
    func int8KnownValues() {
        // (imag, real) pairs.
        let pairs: [Int8] = [3, 4, 0, 0, 0, -7, -128, -128, 127, 0, -5, 12]
        var out = [Float](repeating: -1, count: 6)
        pairs.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { Amplitude.fromInt8Pairs(src, into: $0) } }
        #expect(out == [5, 0, 7, (Float(128 * 128 * 2)).squareRoot(), 127, 13])
    }

    @Test("int8 pairs: SIMD equals scalar for every length")
    func int8MatchesScalar() {
        var random = TestRandom(seed: 1)
        for pairs in testLengths {
            let src = random.int8s(2 * pairs)
            var fast = [Float](repeating: .nan, count: pairs)
            var slow = [Float](repeating: .nan, count: pairs)
            src.withUnsafeBufferPointer { s in
                fast.withUnsafeMutableBufferPointer { Amplitude.fromInt8Pairs(s, into: $0) }
                slow.withUnsafeMutableBufferPointer { ScalarReference.amplitudeFromInt8Pairs(s, into: $0) }
            }
            #expect(fast == slow, "length \(pairs)")
        }
    }

    @Test("int8 pairs: unaligned source, short destination, odd byte count")
    func int8Edges() {
        var random = TestRandom(seed: 2)
        let bytes = random.int8s(1 + 2 * 40 + 1)
        var expected = [Float](repeating: 0, count: 40)
        var got = [Float](repeating: -1, count: 45)
        bytes.withUnsafeBufferPointer { all in
            // Start one byte in (unaligned) and leave a trailing odd byte.
            let src = UnsafeBufferPointer(rebasing: all[1...])
            expected.withUnsafeMutableBufferPointer { ScalarReference.amplitudeFromInt8Pairs(src, into: $0) }
            got.withUnsafeMutableBufferPointer { Amplitude.fromInt8Pairs(src, into: $0) }
        }
        #expect(Array(got[..<40]) == expected)
        #expect(got[40...].allSatisfy { $0 == -1 }, "values past src.count / 2 are untouched")

        var short = [Float](repeating: -1, count: 20)
        bytes.withUnsafeBufferPointer { src in short.withUnsafeMutableBufferPointer { Amplitude.fromInt8Pairs(src, into: $0) } }
        let firstPairs = bytes.withUnsafeBufferPointer { src in
            var out = [Float](repeating: 0, count: 20)
            out.withUnsafeMutableBufferPointer { ScalarReference.amplitudeFromInt8Pairs(src, into: $0) }
            return out
        }
        #expect(short == firstPairs, "a short destination takes the first dst.count pairs")
    }

    @Test("complex floats: known values")
    func complexKnownValues() {
        let values: [Float] = [3, 4, -6, 8, 0, 0, 1, 0]
        var out = [Float](repeating: -1, count: 4)
        values.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { Amplitude.fromComplex(src, into: $0) } }
        #expect(out == [5, 10, 0, 1])
    }

    @Test("complex floats: SIMD equals scalar for every length")
    func complexMatchesScalar() {
        var random = TestRandom(seed: 3)
        for pairs in testLengths {
            let src = random.floats(2 * pairs, in: -1000...1000)
            var fast = [Float](repeating: .nan, count: pairs)
            var slow = [Float](repeating: .nan, count: pairs)
            src.withUnsafeBufferPointer { s in
                fast.withUnsafeMutableBufferPointer { Amplitude.fromComplex(s, into: $0) }
                slow.withUnsafeMutableBufferPointer { ScalarReference.amplitudeFromComplex(s, into: $0) }
            }
            let bad = (0..<pairs).filter { !close(fast[$0], slow[$0], scale: slow[$0]) }
            #expect(bad.isEmpty, "length \(pairs): mismatches at \(bad.prefix(5))")
        }
    }
}
