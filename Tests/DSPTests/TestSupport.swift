/// Deterministic random inputs for the kernel tests (SplitMix64, so failures reproduce).
struct TestRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func floats(_ count: Int, in range: ClosedRange<Float>) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &self) }
    }

    mutating func int8s(_ count: Int) -> [Int8] {
        (0..<count).map { _ in Int8(truncatingIfNeeded: next()) }
    }
}

/// Lengths around every SIMD boundary plus a few long ones.
let testLengths: [Int] = Array(0...70) + [95, 96, 97, 127, 128, 129, 255, 256, 257, 1000, 4099]

/// |got − want| within `relative` of `scale` (the size of the terms, not of a result that may cancel).
func close(_ got: Float, _ want: Float, relative: Float = 1e-5, scale: Float) -> Bool {
    abs(got - want) <= relative * max(scale, Float.leastNormalMagnitude)
}
