/// How long a complete RTU reply is, from its first bytes: unit, function, then either an
/// exception code, a byte count (reads, function 23) or a fixed echo (writes), then the CRC.
enum RTUFrameLength {
    /// The full frame length once enough bytes are there to know it, or nil (need more bytes).
    static func expected(_ frame: [UInt8]) -> Int? {
        guard frame.count >= 2 else { return nil }
        let function = frame[1]
        if function & 0x80 != 0 { return 5 }
        switch function {
        case 1, 2, 3, 4, 23:
            guard frame.count >= 3 else { return nil }
            return 3 + Int(frame[2]) + 2
        case 5, 6, 15, 16:
            return 8
        default:
            // Unknown function: the frame ends at silence; treat what arrived as all of it.
            return nil
        }
    }
}
