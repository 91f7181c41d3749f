import GatewayCore
import Inference
import Store

extension StoreBatch {
    /// The rows a pipeline step produced, plus per-device activity for the devices table.
    mutating func append(_ output: SensingPipeline.Output) {
        features.append(contentsOf: output.features)
        events.append(contentsOf: output.events)
        telemetry.append(contentsOf: output.telemetry)
        energySignatures.append(contentsOf: output.energySignatures)
    }
}

/// Per-device frame counts and last-seen times between two store commits.
struct ActivityTally {
    private var byDevice: [DeviceID: DeviceActivity] = [:]

    mutating func count(_ frame: CSIFrame) { count(device: frame.device, time: frame.timestamp, kind: "csi") }

    mutating func count(_ frame: SensorFrame) {
        switch frame {
        case .csi(let csi): count(csi)
        case .pa(let pa): count(device: pa.device, time: pa.timestamp, kind: "gan_pa")
        }
    }

    private mutating func count(device: DeviceID, time: Int64, kind: String) {
        if var activity = byDevice[device] {
            activity.frames += 1
            activity.lastSeen = max(activity.lastSeen, time)
            byDevice[device] = activity
        } else {
            byDevice[device] = DeviceActivity(device: device, lastSeen: time, frames: 1, kind: kind)
        }
    }

    mutating func drain() -> [DeviceActivity] {
        defer { byDevice.removeAll(keepingCapacity: true) }
        return byDevice.values.sorted { $0.device < $1.device }
    }

    var isEmpty: Bool { byDevice.isEmpty }
}
