import GatewayCore

/// A deterministic stream of ESP32 LLTF CSI frames from simulated rooms, with ground truth.
///
/// Each device (`sim-01`, `sim-02`, …) has its own room, transmitter and receiver placement,
/// static multipath and person, all drawn from the seed; every device follows the same scenario
/// timeline. Frames come in time order, interleaved across devices, at `rate` per device with
/// ±5 % timing jitter. Per frame the work is the body path, noise and quantisation; the one
/// allocation is the frame's payload.
public struct CSISimulator: Sendable, Sequence, IteratorProtocol {
    public let scenario: ScenarioName
    public let seconds: Double
    /// Frames per second per device.
    public let rate: Double
    public let seed: UInt64
    /// Unix microseconds of t = 0.
    public let startTime: Int64
    public let options: SimulationOptions
    /// Frames the run produces in all: ⌊seconds · rate⌋ per device.
    public let totalFrames: Int
    /// What happens when, in seconds from the start (the same for every device).
    public let labels: [GroundTruthInterval]
    /// Frames returned so far.
    public private(set) var producedFrames = 0
    private var simulated: [SimulatedDevice]

    /// Non-positive or non-finite `seconds` or `rate`, or `devices < 1`, give an empty run.
    public init(
        scenario: ScenarioName, seconds: Double, rate: Double = 100, devices: Int = 1,
        seed: UInt64, startTime: Int64, options: SimulationOptions = SimulationOptions()
    ) {
        self.scenario = scenario
        self.seconds = seconds
        self.rate = rate
        self.seed = seed
        self.startTime = startTime
        self.options = options
        let valid = seconds.isFinite && seconds > 0 && rate.isFinite && rate > 0
        let perDevice = valid ? Int((seconds * rate + 1e-9).rounded(.down)) : 0
        let count = Swift.max(0, devices)
        totalFrames = perDevice * count
        labels = valid ? scenario.labels(seconds: seconds) : []
        let period = valid ? 1 / rate : 1
        simulated = (0..<count).map { device in
            SimulatedDevice(index: device, of: count, scenario: scenario, seconds: seconds, frames: perDevice,
                            period: period, seed: seed, options: options)
        }
    }

    /// The devices' ids, in order.
    public var deviceIDs: [DeviceID] { simulated.map(\.id) }

    /// The channel of device `index` (0-based), for tests and visualisation.
    public func channelModel(device index: Int) -> ChannelModel { simulated[index].model }

    /// Where the person of device `index` was at its latest frame (nil: nobody in the room).
    public func lastBody(device index: Int) -> Body? { simulated[index].lastBody }

    /// The next frame in time order across devices; nil when the run is over.
    public mutating func next() -> CSIFrame? {
        var chosen = -1
        var earliest = Double.infinity
        for i in simulated.indices where simulated[i].nextTime < earliest {
            earliest = simulated[i].nextTime
            chosen = i
        }
        guard chosen >= 0 else { return nil }
        producedFrames += 1
        return simulated[chosen].makeFrame(startTime: startTime)
    }
}
