/// A small, fast, deterministic random number generator: xoshiro256** (Blackman and Vigna),
/// its state filled from the seed by SplitMix64 as the authors recommend.
///
/// The same seed (and stream) gives the same sequence on every platform; `stream` derives
/// independent generators from one seed, one per device and purpose.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = Self.splitMix(seed) ^ Self.splitMix(stream ^ 0x6A09_E667_F3BC_C909)
        s0 = Self.splitMixNext(&mixer)
        s1 = Self.splitMixNext(&mixer)
        s2 = Self.splitMixNext(&mixer)
        s3 = Self.splitMixNext(&mixer)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the one state xoshiro must not have
    }

    /// A generator in a given raw state (for known-answer tests).
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// Uniform in [0, 1), 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in `range`.
    public mutating func nextDouble(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnit()
    }

    /// True with probability `p`.
    public mutating func nextBool(probability p: Double) -> Bool {
        nextUnit() < p
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// SplitMix64's output function of one state.
    static func splitMix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func splitMixNext(_ state: inout UInt64) -> UInt64 {
        let value = splitMix(state)
        state &+= 0x9E37_79B9_7F4A_7C15
        return value
    }
}
