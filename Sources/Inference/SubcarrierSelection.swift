import GatewayCore

/// Which positions of a frame's CSI vector carry usable subcarriers.
///
/// ESP32 layouts start with the LLTF (64 bins in FFT order: index k is subcarrier k for k < 32,
/// k - 64 otherwise); only subcarriers -26...-1 and 1...26 carry energy there. The detectors use
/// that LLTF part because every ESP32 layout has it and its bins mean the same in all of them.
/// Full-band layouts drop DC and the outer guard bins. Invalid bins (first word, firmware
/// overwrites) are removed.
public enum SubcarrierSelection {
    public static func indices(for frame: CSIFrame) -> [Int] {
        indices(layout: frame.layout, count: frame.subcarrierCount,
                firstWordInvalid: frame.firstWordInvalid, invalid: frame.invalidSubcarriers)
    }

    /// The subcarriers of the frame's layout that carry signal, invalid ones included: what the
    /// diffusion engine models and, with imputation on, what the detectors use.
    public static func usable(for frame: CSIFrame) -> [Int] {
        indices(layout: frame.layout, count: frame.subcarrierCount, firstWordInvalid: false, invalid: [])
    }

    public static func indices(layout: SubcarrierLayout, count: Int, firstWordInvalid: Bool, invalid: [Int]) -> [Int] {
        var picked: [Int]
        switch layout {
        case .lltf, .lltfHTLTF, .lltfHTLTFSTBC:
            picked = lltf(offset: 0, bins: min(64, count))
        case .htLTF, .fft:
            picked = fullBand(count: count)
        }
        if firstWordInvalid { picked.removeAll { $0 < 2 } }
        if !invalid.isEmpty {
            let bad = Set(invalid)
            picked.removeAll { bad.contains($0) }
        }
        return picked
    }

    private static func lltf(offset: Int, bins: Int) -> [Int] {
        (0..<bins).filter { k in
            let s = k < 32 ? k : k - 64
            return s != 0 && abs(s) <= 26
        }.map { $0 + offset }
    }

    private static func fullBand(count: Int) -> [Int] {
        // Keep the central 7/8 of the band without DC: 56 of 64 for HT20, 224 of 256 for 80 MHz.
        let half = count / 2
        let guardBins = count / 16
        return (0..<count).filter { k in
            let s = k < half ? k : k - count
            return s != 0 && abs(s) <= half - guardBins
        }
    }
}
