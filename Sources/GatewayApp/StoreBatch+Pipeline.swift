import GatewayCore
import Inference
import Store

extension StoreBatch {
    /// The rows a pipeline step produced, plus per-device activity for the devices table.
    mutating func append(_ output: SensingPipeline.Output) {
        features.append(contentsOf: output.features)
        events.append(contentsOf: output.events)
    }
}

/// Per-device frame counts and last-seen times between two store commits.
struct ActivityTally {
    private var byDevice: [DeviceID: DeviceActivity] = [:]

    mutating func count(_ frame: CSIFrame) {
        if var activity = byDevice[frame.device] {
            activity.frames += 1
            activity.lastSeen = max(activity.lastSeen, frame.timestamp)
            byDevice[frame.device] = activity
        } else {
            byDevice[frame.device] = DeviceActivity(device: frame.device, lastSeen: frame.timestamp, frames: 1, kind: "csi")
        }
    }

    mutating func drain() -> [DeviceActivity] {
        defer { byDevice.removeAll(keepingCapacity: true) }
        return byDevice.values.sorted { $0.device < $1.device }
    }

    var isEmpty: Bool { byDevice.isEmpty }
}
