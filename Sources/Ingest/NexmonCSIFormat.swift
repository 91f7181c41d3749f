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
        // One pass per format, straight into the array's storage (this runs per frame).
        [Float](unsafeUninitializedCapacity: 2 * count) { out, initialized in
            switch self {
            case .int16IQ, .int16QI:
                let (first, second) = self == .int16IQ ? (0, 2) : (2, 0)
                for index in 0..<count {
                    let at = offset &+ 4 &* index
                    out[2 &* index] = Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: at &+ first, as: Int16.self)))
                    out[2 &* index &+ 1] = Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: at &+ second, as: Int16.self)))
                }
            case .packedFloat(let mantissaBits, let exponentBits):
                for index in 0..<count {
                    let word = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset &+ 4 &* index, as: UInt32.self))
                    let pair = Self.unpackFloat(word, mantissaBits: mantissaBits, exponentBits: exponentBits)
                    out[2 &* index] = pair.real
                    out[2 &* index &+ 1] = pair.imag
                }
            }
            initialized = 2 * count
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
        case 64: return [28, 29, 30]
        case 256: return [0, 1, 2]
        default: return []
        }
    }
}
