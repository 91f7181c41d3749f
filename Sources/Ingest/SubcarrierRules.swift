import GatewayCore

/// How many subcarriers each layout may carry, per bandwidth (ESP-IDF's `wifi_csi_info_t.buf`
/// for the ESP32 layouts; a whole FFT for Nexmon-style frames).
public enum SubcarrierRules {
    public static func allowedCounts(layout: SubcarrierLayout, bandwidth: Bandwidth) -> [Int] {
        switch (layout, bandwidth) {
        case (.lltf, _): return [64]
        case (.htLTF, .mhz20): return [64]
        case (.htLTF, _): return [128]
        case (.lltfHTLTF, .mhz20): return [128]
        case (.lltfHTLTF, _): return [192]
        case (.lltfHTLTFSTBC, .mhz20): return [192]
        case (.lltfHTLTFSTBC, _): return [320]
        case (.fft, .mhz20): return [64]
        case (.fft, .mhz40): return [128]
        case (.fft, .mhz80): return [256]
        case (.fft, .mhz160): return [512]
        }
    }
}
