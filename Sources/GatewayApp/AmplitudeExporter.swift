import DSP
import Foundation
import GatewayCore
import Ingest

/// Writes one CSV row per frame for people who analyse CSI in other tools.
///
/// Columns: `timestamp_us`, `time` (ISO 8601 UTC), `device`, `rssi`, `layout`, `bandwidth_mhz`,
/// then `a0 ... a<N-1>`: the amplitude |H| of each position of the frame's CSI vector in the
/// order the source delivered it (FFT order: for ESP32 layouts the LLTF's 64 bins first, index k
/// being subcarrier k for k < 32 and k - 64 above; for Nexmon the whole band, index k being
/// subcarrier k below N/2 and k - N above). N is the widest frame in the file; narrower frames
/// leave the remaining columns empty. Bins known to be invalid (ESP32 first word, bins that
/// firmware overwrote, nulls an esp-csi log left out) are empty, never zero.
///
/// With `impute`, the diffusion engine repairs what it models (the subcarriers that carry
/// signal): invalid bins among them, saturated int8 values and dropped subcarriers get the
/// values Langevin imputation finds under an energy model learnt from the whole capture, per
/// device and layout (`CaptureEnergyModels`; one more pass over the file). Null bins (DC,
/// guards) the frame marks invalid stay empty.
public struct AmplitudeExporter {
    public let path: String
    public let impute: Bool

    public init(path: String, impute: Bool = false) {
        self.path = path
        self.impute = impute
    }

    /// Writes the CSV to `output`; returns (frames written, malformed records skipped).
    public func export(to output: FileHandle) throws -> (frames: Int, malformed: Int) {
        // Pass 1 finds the widest frame so the header is right for every row.
        var width = 0
        var scan = try CaptureFormats.open(path: path)
        while let record = scan.nextRecord() {
            if case .frames(let frames) = record { width = max(width, frames.map(\.subcarrierCount).max() ?? 0) }
        }
        var header = "timestamp_us,time,device,rssi,layout,bandwidth_mhz"
        for k in 0..<width { header += ",a\(k)" }
        var buffer = header + "\n"
        var reader = try CaptureFormats.open(path: path)
        var amplitudes = [Float](repeating: 0, count: width)
        var models = impute ? try CaptureEnergyModels(path: path) : nil
        var frames = 0
        var malformed = 0
        while let record = reader.nextRecord() {
            switch record {
            case .malformed: malformed += 1
            case .paFrames: break  // GaN PA blocks have no subcarrier amplitudes
            case .frames(let list):
                for frame in list {
                    frames += 1
                    row(frame, width: width, amplitudes: &amplitudes, models: &models, into: &buffer)
                }
            }
            if buffer.utf8.count > 1 << 20 {
                output.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        output.write(Data(buffer.utf8))
        return (frames, malformed)
    }

    private func row(_ frame: CSIFrame, width: Int, amplitudes: inout [Float], models: inout CaptureEnergyModels?,
                     into buffer: inout String) {
        let count = frame.subcarrierCount
        var invalid = Set(frame.invalidSubcarriers)
        if frame.firstWordInvalid { invalid.formUnion([0, 1]) }
        if models != nil {
            var values: [Float] = []
            let repaired = models?.process(frame, writeBack: true, values: &values) ?? []
            for k in 0..<min(count, values.count) { amplitudes[k] = values[k] }
            invalid.subtract(repaired)
        } else {
            amplitudes.withUnsafeMutableBufferPointer { out in
                let target = UnsafeMutableBufferPointer(rebasing: out[0..<count])
                switch frame.payload {
                case .int8Pairs(let pairs): pairs.withUnsafeBufferPointer { Amplitude.fromInt8Pairs($0, into: target) }
                case .complex(let values): values.withUnsafeBufferPointer { Amplitude.fromComplex($0, into: target) }
                }
            }
        }
        buffer += "\(frame.timestamp),\(EventFormatting.iso8601(frame.timestamp)),\(frame.device),\(frame.rssi),\(frame.layout.rawValue),\(frame.bandwidth.rawValue)"
        for k in 0..<width {
            buffer += ","
            if k < count, !invalid.contains(k) { buffer += Self.format(amplitudes[k]) }
        }
        buffer += "\n"
    }

    /// Amplitudes with up to 3 decimals, trailing zeros dropped ("12.5", "7", "0.125").
    public static func format(_ value: Float) -> String {
        let scaled = (Double(value) * 1000).rounded()
        if scaled == (scaled / 1000).rounded() * 1000 { return String(Int(scaled / 1000)) }
        var text = String(format: "%.3f", scaled / 1000)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
