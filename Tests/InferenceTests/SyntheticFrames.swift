import Foundation
import GatewayCore

/// Frames with a controllable amount of amplitude fluctuation, for detector tests.
struct SyntheticFrames {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func uniform() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }

    /// An LLTF frame: subcarrier amplitudes around 30 with relative jitter `wobble` (0 = still).
    mutating func frame(device: DeviceID = "n1", sequence: UInt32, time: Int64, wobble: Double) -> CSIFrame {
        var pairs = [Int8](repeating: 0, count: 128)
        for k in 0..<64 {
            let s = k < 32 ? k : k - 64
            guard s != 0, abs(s) <= 26 else { continue }
            let base = 30.0 + 8 * sin(Double(k) * 0.4)
            let amplitude = base * (1 + wobble * (uniform() * 2 - 1)) + (uniform() - 0.5) * 0.6
            pairs[2 * k] = Int8(clamping: Int((amplitude * 0.6).rounded()))
            pairs[2 * k + 1] = Int8(clamping: Int((amplitude * 0.8).rounded()))
        }
        return CSIFrame(device: device, sequence: sequence, timestamp: time, rssi: -50, payload: .int8Pairs(pairs))
    }
}
