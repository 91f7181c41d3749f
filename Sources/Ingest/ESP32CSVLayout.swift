import GatewayCore

/// Maps the CSI values an ESP32 tool printed onto `SubcarrierLayout`, following the order of
/// ESP-IDF's `wifi_csi_info_t.buf` (LLTF, then HT-LTF, then STBC HT-LTF; 64 bins per 20 MHz).
///
/// The layout follows the number of values actually printed, not the `len` column: tools that
/// print only the LLTF of an HT frame (`len` 384, 128 values) give a 64-bin `.lltf` frame.
enum ESP32CSVLayout {
    struct Mapped {
        var layout: SubcarrierLayout
        var bandwidth: Bandwidth
        var values: [Int8]
        var invalidSubcarriers: [Int]
    }

    /// FFT bins that esp-radar's "valid LLTF" output (52 subcarriers, `len` 104) leaves out: it
    /// prints bins 0...25 then 38...63 (subcarriers 0...25, then -26...-1). The order was checked
    /// on the csi-sec-course capture: the phase of printed pair 51 (bin 63, subcarrier -1) is
    /// within 0.2 rad of printed pair 1 (bin 1) on average, across the DC null of pair 0.
    static let validLLTFDroppedBins = Array(26...37)

    /// - Parameters:
    ///   - sigMode: 0 non-HT (11b/g), 1 HT (11n), 3 VHT.
    ///   - cwb: 1 when the packet used 40 MHz (meaningful for HT only).
    ///   - stbc: non-zero for STBC packets.
    /// - Returns: nil when the count fits no ESP32 layout.
    static func map(values: [Int8], sigMode: Int, cwb: Int, stbc: Int) -> Mapped? {
        let pairs = values.count / 2
        let ht = sigMode != 0
        let bandwidth: Bandwidth = ht && cwb == 1 ? .mhz40 : .mhz20
        switch pairs {
        case 52:
            var full = [Int8](repeating: 0, count: 128)
            for i in 0..<52 { full[i] = values[i] }
            for i in 52..<104 { full[i + 24] = values[i] }
            return Mapped(layout: .lltf, bandwidth: bandwidth, values: full,
                          invalidSubcarriers: validLLTFDroppedBins)
        case 64:
            return Mapped(layout: .lltf, bandwidth: bandwidth, values: values, invalidSubcarriers: [])
        case 128:
            return Mapped(layout: bandwidth == .mhz40 ? .htLTF : .lltfHTLTF, bandwidth: bandwidth,
                          values: values, invalidSubcarriers: [])
        case 192:
            // HT40 LLTF + HT-LTF, or HT20 LLTF + HT-LTF + STBC HT-LTF.
            if bandwidth == .mhz40 {
                return Mapped(layout: .lltfHTLTF, bandwidth: .mhz40, values: values, invalidSubcarriers: [])
            }
            guard ht, stbc != 0 else { return nil }
            return Mapped(layout: .lltfHTLTFSTBC, bandwidth: .mhz20, values: values, invalidSubcarriers: [])
        case 320:
            guard bandwidth == .mhz40 else { return nil }
            return Mapped(layout: .lltfHTLTFSTBC, bandwidth: .mhz40, values: values, invalidSubcarriers: [])
        default:
            return nil
        }
    }
}
