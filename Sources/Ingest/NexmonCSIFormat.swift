/// How a Broadcom chip stores one CSI value (4 bytes, little-endian) in a Nexmon CSI payload.
public enum NexmonCSIFormat: Sendable, Equatable {
    /// int16 real then int16 imaginary (bcm43455c0).
    case int16IQ
    /// int16 imaginary then int16 real: bcm4339 firmware from before 2020 swaps the order.
    case int16QI
    /// Broadcom's packed float: sign + (mantissa-1) bits for I, the same for Q, then a
    /// two's-complement exponent; value = ±m · 2^e. bcm4358 uses 9/5, bcm4366c0 12/6.
    case packedFloat(mantissaBits: Int, exponentBits: Int)

    /// Formats by the chip id field (little-endian uint16 at payload offset 16).
    /// 0xdead is what pre-chip-id firmware sent; the public captures with it are bcm4358.
    public static let byChip: [UInt16: NexmonCSIFormat] = [
        0x0001: .int16QI,            // bcm4339 (Nexus 5)
        0x0065: .int16IQ,            // bcm43455c0 (Raspberry Pi 3B+/4)
        0xA6DC: .int16IQ,            // bcm43455c0, id seen by CSIKit
        0x0003: .packedFloat(mantissaBits: 9, exponentBits: 5),   // bcm4358 (Nexus 6P)
        0xDEAD: .packedFloat(mantissaBits: 9, exponentBits: 5),   // bcm4358, pre-chip-id firmware
        0x006A: .packedFloat(mantissaBits: 12, exponentBits: 6),  // bcm4366c0 (RT-AC86U)
        0xE834: .packedFloat(mantissaBits: 12, exponentBits: 6),  // bcm4366c0, id seen by CSIKit
    ]

    /// `count` values read from `bytes` at `offset`, as interleaved (real, imag) floats.
    /// The caller has checked that `4 * count` bytes are there.
    func unpack(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int) -> [Float] {
        // Straight into the array's storage, eight values per SIMD step (this runs per frame).
        [Float](unsafeUninitializedCapacity: 2 * count) { out, initialized in
            guard let base = bytes.baseAddress, let target = out.baseAddress else { return }
            let input = base + offset
            switch self {
            case .int16IQ: Self.unpackInt16(input, count: count, swapped: false, into: target)
            case .int16QI: Self.unpackInt16(input, count: count, swapped: true, into: target)
            case .packedFloat(let mantissaBits, let exponentBits):
                Self.unpackPacked(input, count: count, mantissaBits: mantissaBits, exponentBits: exponentBits, into: target)
            }
            initialized = 2 * count
        }
    }

    /// int16 pairs to floats. Lanes become `Float` through the exponent-bias trick (the bits
    /// 0x4B00_uuuu are the float 2^23 + uuuu), because the standard library's generic SIMD
    /// integer-to-float conversion lowers to a per-lane loop (see `Amplitude.fromInt8Pairs`).
    /// `swapped` reads (imag, real) pairs, the order of bcm4339's older firmware.
    static func unpackInt16(_ input: UnsafeRawPointer, count: Int, swapped: Bool, into out: UnsafeMutablePointer<Float>) {
        var k = 0
        #if _endian(little)
        let output = UnsafeMutableRawPointer(out)
        let offset = SIMD8<UInt32>(repeating: 0x8000_8000)
        let exponent = SIMD8<UInt32>(repeating: 0x4B00_0000)
        let bias = SIMD8<Float>(repeating: 8_388_608 + 32_768)
        // Eight values (32 bytes) per step: each 32-bit word holds one value's two halves.
        while k &+ 8 <= count {
            var words = input.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<UInt32>.self)
            if swapped { words = words &<< 16 | words &>> 16 }
            words ^= offset  // two's complement to offset binary, both halves at once
            var pairs = SIMD16<Float>()
            pairs.evenHalf = unsafeBitCast(words & 0xFFFF | exponent, to: SIMD8<Float>.self) - bias
            pairs.oddHalf = unsafeBitCast(words &>> 16 | exponent, to: SIMD8<Float>.self) - bias
            output.storeBytes(of: pairs, toByteOffset: k &* 8, as: SIMD16<Float>.self)
            k &+= 8
        }
        #endif
        let (realAt, imagAt) = swapped ? (2, 0) : (0, 2)
        while k < count {
            let at = k &* 4
            out[2 &* k] = Float(Int16(littleEndian: input.loadUnaligned(fromByteOffset: at &+ realAt, as: Int16.self)))
            out[2 &* k &+ 1] = Float(Int16(littleEndian: input.loadUnaligned(fromByteOffset: at &+ imagAt, as: Int16.self)))
            k &+= 1
        }
    }

    /// Packed-float words to floats, eight per SIMD step; each lane computes exactly what
    /// `unpackFloat` does (a test compares the two on random words).
    static func unpackPacked(_ input: UnsafeRawPointer, count: Int, mantissaBits: Int, exponentBits: Int,
                             into out: UnsafeMutablePointer<Float>) {
        var k = 0
        #if _endian(little)
        let output = UnsafeMutableRawPointer(out)
        let magnitudeMask = SIMD8<UInt32>(repeating: UInt32(1) << (mantissaBits - 1) - 1)
        let spare = UInt32(32 - exponentBits)
        let floatBits = SIMD8<UInt32>(repeating: 0x4B00_0000)
        let bias = SIMD8<Float>(repeating: 8_388_608)
        let iShift = UInt32(exponentBits + mantissaBits)
        let qShift = UInt32(exponentBits)
        let iSignShift = UInt32(exponentBits + 2 * mantissaBits - 1)
        let qSignShift = UInt32(exponentBits + mantissaBits - 1)
        while k &+ 8 <= count {
            let words = input.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<UInt32>.self)
            // The exponent field, sign-extended and biased, becomes the bits of the float 2^e.
            let exponent = unsafeBitCast(words &<< spare, to: SIMD8<Int32>.self) &>> Int32(spare)
            let scale = unsafeBitCast(unsafeBitCast(exponent &+ 127, to: SIMD8<UInt32>.self) &<< 23, to: SIMD8<Float>.self)
            // Magnitudes (at most 11 bits) through the exponent-bias trick, then the sign bits.
            let i = unsafeBitCast((words &>> iShift) & magnitudeMask | floatBits, to: SIMD8<Float>.self) - bias
            let q = unsafeBitCast((words &>> qShift) & magnitudeMask | floatBits, to: SIMD8<Float>.self) - bias
            let iSigned = unsafeBitCast(unsafeBitCast(i, to: SIMD8<UInt32>.self) | (words &>> iSignShift) &<< 31, to: SIMD8<Float>.self)
            let qSigned = unsafeBitCast(unsafeBitCast(q, to: SIMD8<UInt32>.self) | (words &>> qSignShift) &<< 31, to: SIMD8<Float>.self)
            var pairs = SIMD16<Float>()
            pairs.evenHalf = iSigned * scale
            pairs.oddHalf = qSigned * scale
            output.storeBytes(of: pairs, toByteOffset: k &* 8, as: SIMD16<Float>.self)
            k &+= 8
        }
        #endif
        while k < count {
            let word = UInt32(littleEndian: input.loadUnaligned(fromByteOffset: k &* 4, as: UInt32.self))
            let pair = Self.unpackFloat(word, mantissaBits: mantissaBits, exponentBits: exponentBits)
            out[2 &* k] = pair.real
            out[2 &* k &+ 1] = pair.imag
            k &+= 1
        }
    }

    /// One packed-float word as (real, imag) = (±mI · 2^e, ±mQ · 2^e). Exact in Float: the
    /// mantissa has at most 11 bits and the exponent lies in [-32, 31].
    static func unpackFloat(_ word: UInt32, mantissaBits: Int, exponentBits: Int) -> (real: Float, imag: Float) {
        let magnitudeMask = UInt32(1) << (mantissaBits - 1) - 1
        let exponentMask = UInt32(1) << exponentBits - 1
        var exponent = Int(word & exponentMask)
        if exponent >= 1 << (exponentBits - 1) { exponent -= 1 << exponentBits }
        let i = (word >> (exponentBits + mantissaBits)) & magnitudeMask
        let q = (word >> exponentBits) & magnitudeMask
        let iNegative = word & (UInt32(1) << (exponentBits + 2 * mantissaBits - 1)) != 0
        let qNegative = word & (UInt32(1) << (exponentBits + mantissaBits - 1)) != 0
        let scale = Float(sign: .plus, exponent: exponent, significand: 1)
        return ((iNegative ? -Float(i) : Float(i)) * scale, (qNegative ? -Float(q) : Float(q)) * scale)
    }

    /// Bins the firmware overwrites with PhyRxStatus words instead of CSI, by chip and FFT size
    /// (seen in the public bcm43455c0 captures: three bins of constant, non-CSI values).
    static func overwrittenBins(chip: UInt16, subcarriers: Int) -> [Int] {
        guard chip == 0x0065 || chip == 0xA6DC else { return [] }
        switch subcarriers {
        case 64: return overwritten20MHz
        case 256: return overwritten80MHz
        default: return []
        }
    }

    // Shared constants, so the per-frame list costs a retain rather than an allocation.
    private static let overwritten20MHz = [28, 29, 30]
    private static let overwritten80MHz = [0, 1, 2]
}
