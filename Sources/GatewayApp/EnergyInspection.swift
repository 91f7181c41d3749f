import Diffusion
import Foundation
import GatewayCore
import Inference
import Ingest

/// The diffusion engine's figures for `gateway inspect`, per device: each device's energy model
/// (learnt from the whole capture, `CaptureEnergyModels`), how many amplitudes needed repair, and
/// E_state, dE/dt and S_state over 200 ms windows, with the `energy_regime` changes they show.
public struct EnergyInspection: Sendable {
    public struct Device: Sendable {
        public var dimension = 0
        public var rank = 0
        public var frames = 0
        public var repairedFrames = 0
        public var repairedValues = 0
        public var states: [EnergyState] = []
        public var regimeChanges = 0
    }

    public static let windowMicros: Int64 = 200_000
    public private(set) var devices: [DeviceID: Device] = [:]

    public init(path: String, settings: DiffusionSettings = DiffusionSettings()) throws {
        var models = try CaptureEnergyModels(path: path, settings: settings)
        var reader = try CaptureFormats.open(path: path)
        var windowStart: [CaptureEnergyModels.Key: Int64] = [:]
        var values: [Float] = []
        var regimes: [DeviceID: EnergyRegimeDetector] = [:]
        func keep(_ state: EnergyState?, device: DeviceID) {
            guard let state else { return }
            devices[device, default: Device()].states.append(state)
            var detector = regimes[device] ?? EnergyRegimeDetector(device: device, rateThreshold: settings.regimeRateThreshold,
                                                                   minChange: settings.regimeMinChange)
            if detector.observe(state) != nil { devices[device, default: Device()].regimeChanges += 1 }
            regimes[device] = detector
        }
        while let record = reader.nextRecord() {
            guard case .frames(let list) = record else { continue }
            for frame in list {
                let key = CaptureEnergyModels.Key(frame)
                if let start = windowStart[key], frame.timestamp >= start + Self.windowMicros || frame.timestamp < start {
                    keep(models.closeWindow(of: frame, start: start, end: start + Self.windowMicros), device: frame.device)
                    windowStart[key] = frame.timestamp
                } else if windowStart[key] == nil {
                    windowStart[key] = frame.timestamp
                }
                let missing = models.process(frame, writeBack: true, values: &values)
                var device = devices[frame.device] ?? Device()
                device.frames += 1
                if !missing.isEmpty {
                    device.repairedFrames += 1
                    device.repairedValues += missing.count
                }
                if let model = models.model(for: frame), model.dimension >= device.dimension {
                    device.dimension = model.dimension
                    device.rank = model.rank
                }
                devices[frame.device] = device
            }
        }
    }

    /// Report lines for one device (empty when it sent no CSI).
    public func lines(for id: DeviceID) -> [String] {
        guard let d = devices[id], d.frames > 0 else { return [] }
        guard d.dimension > 0 else { return ["  energy      no energy model (too few frames: a fit needs \(DeviceEnergyEngine.framesPerDimension) per modelled subcarrier)"] }
        var lines = [String(format: "  energy      model of %d subcarriers, rank %d; %.1f%% of frames had missing amplitudes (%.1f each), repaired",
                            d.dimension, d.rank, 100 * Double(d.repairedFrames) / Double(d.frames),
                            d.repairedFrames > 0 ? Double(d.repairedValues) / Double(d.repairedFrames) : 0)]
        if !d.states.isEmpty {
            let energies = d.states.map(\.energy).sorted(), entropies = d.states.map(\.entropy)
            let p95 = energies[min(energies.count - 1, Int(0.95 * Double(energies.count - 1)))]
            let rates = d.states.dropFirst().map { abs($0.energyRate) }
            lines.append(String(format: "              %d windows: E_state mean %.3g (p95 %.3g), |dE/dt| mean %.3g /s, S_state mean %.2f nats (%.2f to %.2f), %d energy_regime change%@",
                                d.states.count, energies.reduce(0, +) / Double(energies.count), p95,
                                rates.isEmpty ? 0 : rates.reduce(0, +) / Double(rates.count),
                                entropies.reduce(0, +) / Double(entropies.count), entropies.min() ?? 0, entropies.max() ?? 0,
                                d.regimeChanges, d.regimeChanges == 1 ? "" : "s"))
        }
        return lines
    }
}
