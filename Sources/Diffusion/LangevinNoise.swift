/// Cheap approximately Gaussian noise for Langevin steps, 16 values at a time.
///
/// Sixteen independent xorshift32 generators (Marsaglia 2003; one per lane, seeded from a
/// SplitMix64 of the seed so lanes never coincide); each draw sums two 24-bit uniforms, centres
/// them and scales by √6, which gives mean 0, variance 1 and a bounded (±√6) triangular shape.
/// Exact normality does not matter here: the schedule ends every chain with noise-free steps.
/// Box–Muller would need a log, a square root and a sine per pair of values, more than the rest
/// of a 64-value Langevin step; four uniforms instead of two cost 30 % of a denoising step.
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
        for _ in 0..<2 {
            var x = state
            x ^= x &<< 13
            x ^= x &>> 17
            x ^= x &<< 5
            state = x
            // 24 bits fit an Int32: the signed conversion is one instruction, the unsigned is not.
            total += SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: x &>> 8)) * 0x1p-24
        }
        // Sum of 2 uniforms: mean 1, variance 2/12 = 1/6.
        return (total - 1) * 2.4494897
    }
}
