/// Standard base64 (RFC 4648, with or without '=' padding) for CSI data that esp-csi tools print
/// as base64 instead of a list. Each decoded byte is one int8 CSI value.
enum ESP32CSVBase64 {
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> [Int8]? {
        var out: [Int8] = []
        out.reserveCapacity((end - start) * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for i in start..<end {
            let byte = b[i]
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            if ESP32CSVScan.isSpace(byte) { continue }
            guard padding == 0, let sextet = value(byte) else { return nil }
            accumulator = accumulator << 6 | UInt32(sextet)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(Int8(bitPattern: UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        guard padding <= 2, !out.isEmpty else { return nil }
        return out
    }

    private static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): return 63
        default: return nil
        }
    }
}
