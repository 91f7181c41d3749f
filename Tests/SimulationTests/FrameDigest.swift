import GatewayCore

/// FNV-1a (64-bit) over every field of a run of frames, to pin a simulator's output exactly.
enum FrameDigest {
    static func of<S: Sequence>(_ frames: S) -> UInt64 where S.Element == CSIFrame {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        func mix<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { for byte in $0 { mix(byte) } }
        }
        for frame in frames {
            for byte in frame.device.rawValue.utf8 { mix(byte) }
            mix(frame.sequence)
            mix(frame.timestamp)
            mix(frame.deviceTimestamp)
            mix(frame.rssi)
            mix(frame.noiseFloor)
            mix(frame.channel)
            mix(Int32(frame.bandwidth.rawValue))
            for byte in frame.layout.rawValue.utf8 { mix(byte) }
            mix(UInt8(frame.firstWordInvalid ? 1 : 0))
            for index in frame.invalidSubcarriers { mix(Int32(index)) }
            switch frame.payload {
            case .int8Pairs(let values): for value in values { mix(value) }
            case .complex(let values): for value in values { mix(value.bitPattern) }
            }
        }
        return hash
    }
}
