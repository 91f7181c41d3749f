/// Cheap approximately Gaussian noise for Langevin steps, 16 values at a time.
///
/// Sixteen independent xorshift32 generators (Marsaglia 2003; one per lane, seeded from a
/// SplitMix64 of the seed so lanes never coincide); each draw sums four 24-bit uniforms, centres
/// them and scales by √3, which gives mean 0, variance 1 and a bounded (±2√3) Irwin–Hall shape
/// close to a normal. Exact normality does not matter here: the schedule ends every chain with
/// noise-free steps. Box–Muller would need a log, a square root and a sine per pair of values, a
/// large share of a 64-value Langevin step.
public struct LangevinNoise: Sendable {
    @usableFromInline var state: SIMD16<UInt32>

    public init(seed: UInt64) {
        var s = seed
        var lanes = SIMD16<UInt32>()
        for lane in 0..<16 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let value = UInt32(truncatingIfNeeded: z)
            lanes[lane] = value == 0 ? 0x6C07_8965 : value
        }
        state = lanes
    }

    /// 16 draws of mean 0 and variance 1.
    @inlinable
    public mutating func next() -> SIMD16<Float> {
        var total = SIMD16<Float>()
        for _ in 0..<4 {
            var x = state
            x ^= x &<< 13
            x ^= x &>> 17
            x ^= x &<< 5
            state = x
            total += SIMD16<Float>(x &>> 8) * 0x1p-24
        }
        // Sum of 4 uniforms: mean 2, variance 4/12 = 1/3.
        return (total - 2) * 1.7320508
    }
}
