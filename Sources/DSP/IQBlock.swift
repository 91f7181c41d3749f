/// Kernels for blocks of complex int16 samples (interleaved I, Q), as GaN PA frames carry them.
public enum IQBlock {
    /// Sum and peak of the instantaneous power `I² + Q²` over a block, in squared int16 units.
    public struct Power: Sendable, Equatable {
        public var sum: Float
        public var peak: Float
        public var samples: Int

        public init(sum: Float, peak: Float, samples: Int) {
            self.sum = sum
            self.peak = peak
            self.samples = samples
        }

        /// Mean power per complex sample.
        public var mean: Float { samples > 0 ? sum / Float(samples) : 0 }
    }

    /// Converts `iq` (interleaved int16 I, Q) to floats in `dst` (same layout, same units) and
    /// measures the block's power on the way, so the samples are read once.
    ///
    /// Eight complex samples per step: the int16 lanes become `Float` through the exponent-bias
    /// trick (`bits 0x4B00_uuuu` is the float 2^23 + uuuu with uuuu = v + 32768), as in
    /// `Amplitude.fromInt8Pairs`, because the generic SIMD integer-to-float conversion lowers to a
    /// per-lane loop on baseline x86-64. Sums accumulate in eight `Float` lanes and are reduced
    /// once. Converts `min(iq.count, dst.count) / 2` samples.
    @inlinable
    public static func convert(_ iq: UnsafeBufferPointer<Int16>, into dst: UnsafeMutableBufferPointer<Float>) -> Power {
        let samples = min(iq.count, dst.count) / 2
        guard samples > 0, let src = iq.baseAddress, let out = dst.baseAddress else { return Power(sum: 0, peak: 0, samples: 0) }
        let input = UnsafeRawPointer(src)
        let output = UnsafeMutableRawPointer(out)
        var sum = SIMD8<Float>()
        var peak = SIMD8<Float>()
        var k = 0
        #if _endian(little)
        let flip = SIMD16<UInt16>(repeating: 0x8000)
        let exponent = SIMD16<UInt16>(repeating: 0x4B00)
        let bias = SIMD16<Float>(repeating: 8_388_608 + 32_768)
        while k &+ 8 <= samples {
            let words = input.loadUnaligned(fromByteOffset: k &* 4, as: SIMD16<UInt16>.self)
            // Low 16 bits of each 32-bit lane: v + 32768 (v XOR 0x8000); high 16 bits: 0x4B00.
            var bits = SIMD32<UInt16>()
            bits.evenHalf = words ^ flip
            bits.oddHalf = exponent
            let values = unsafeBitCast(bits, to: SIMD16<Float>.self) - bias
            output.storeBytes(of: values, toByteOffset: k &* 8, as: SIMD16<Float>.self)
            let i = values.evenHalf
            let q = values.oddHalf
            let p = i * i + q * q
            sum += p
            // Not `pointwiseMax`: its per-lane generic loop does not become one vector max.
            peak.replace(with: p, where: p .> peak)
            k &+= 8
        }
        #endif
        var total = sum.sum()
        var largest = peak.max()
        while k < samples {
            let i = Float(src[2 &* k])
            let q = Float(src[2 &* k &+ 1])
            out[2 &* k] = i
            out[2 &* k &+ 1] = q
            let p = i * i + q * q
            total += p
            largest = Swift.max(largest, p)
            k &+= 1
        }
        return Power(sum: total, peak: largest, samples: samples)
    }
}
