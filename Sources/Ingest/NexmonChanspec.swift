import GatewayCore

/// A Broadcom 802.11ac chanspec as Nexmon CSI sends it: channel in bits 0-7, control sideband
/// in bits 8-10, bandwidth in bits 11-13 (0x1000 20, 0x1800 40, 0x2000 80, 0x2800 160 MHz),
/// band in bits 14-15 (0x0000 2.4 GHz, 0xc000 5 GHz).
public struct NexmonChanspec: Sendable, Equatable, CustomStringConvertible {
    public enum Band: String, Sendable { case ghz2_4 = "2.4GHz", ghz5 = "5GHz", other }

    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The (centre) channel number.
    public var channel: UInt16 { rawValue & 0x00FF }

    /// The bandwidth, nil for codes this gateway does not know (80+80, reserved).
    public var bandwidth: Bandwidth? {
        switch rawValue & 0x3800 {
        case 0x1000: return .mhz20
        case 0x1800: return .mhz40
        case 0x2000: return .mhz80
        case 0x2800: return .mhz160
        default: return nil
        }
    }

    public var band: Band {
        switch rawValue & 0xC000 {
        case 0x0000: return .ghz2_4
        case 0xC000: return .ghz5
        default: return .other
        }
    }

    /// FFT size: 64, 128, 256 or 512 subcarriers for 20, 40, 80 or 160 MHz.
    public var subcarrierCount: Int? { bandwidth.map { Int(Double($0.rawValue) * 3.2) } }

    public var description: String {
        let hex = String(rawValue, radix: 16)
        let width = bandwidth.map { "\($0.rawValue)MHz" } ?? "?MHz"
        return "0x\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex) (ch \(channel), \(width), \(band.rawValue))"
    }
}
