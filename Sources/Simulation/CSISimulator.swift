import GatewayCore

/// A deterministic stream of CSI frames from simulated rooms, with ground truth: ESP32 LLTF
/// frames on 2.4 GHz channel 6 by default; ESP32 HT40 or Nexmon VHT80 frames, 5 GHz, AGC gain
/// steps and bursty packet loss as `options` ask.
///
/// Each device (`sim-01`, `sim-02`, …) has its own room, transmitter and receiver placement,
/// static multipath and person, all drawn from the seed; every device follows the same scenario
/// timeline, and the labels depend on the scenario and duration only. Frames come in time order,
/// interleaved across devices, at `rate` per device with ±5 % timing jitter (tested from 20 to
/// 1000 frames/s). Per frame the work is the body path, noise and quantisation; the one
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
    /// The frames' band, bandwidth and layout (the default format when `options` are invalid).
    public let format: FrameFormat
    /// Frames the run schedules in all: ⌊seconds · rate⌋ per device. All arrive unless
    /// `options.lossFraction` is above 0.
    public let totalFrames: Int
    /// What happens when, in seconds from the start (the same for every device).
    public let labels: [GroundTruthInterval]
    /// Frames returned so far.
    public private(set) var producedFrames = 0
    /// Frames the simulated link lost so far (their sequence numbers are skipped).
    public private(set) var lostFrames = 0
    private var simulated: [SimulatedDevice]

    /// Non-positive or non-finite `seconds` or `rate`, `devices < 1`, or options that
    /// `SimulationOptions.frameFormat()` rejects give an empty run.
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
        let checked = try? options.frameFormat()
        let format = checked ?? .esp32LLTF
        self.format = format
        let valid = seconds.isFinite && seconds > 0 && rate.isFinite && rate > 0 && checked != nil
        let perDevice = valid ? Int((seconds * rate + 1e-9).rounded(.down)) : 0
        let count = Swift.max(0, devices)
        totalFrames = perDevice * count
        labels = valid ? scenario.labels(seconds: seconds) : []
        let period = valid ? 1 / rate : 1
        simulated = (0..<count).map { device in
            SimulatedDevice(index: device, of: count, scenario: scenario, seconds: seconds, frames: perDevice,
                            period: period, seed: seed, options: options, format: format)
        }
    }

    /// The devices' ids, in order.
    public var deviceIDs: [DeviceID] { simulated.map(\.id) }

    /// The channel of device `index` (0-based), for tests and visualisation.
    public func channelModel(device index: Int) -> ChannelModel { simulated[index].model }

    /// Where the person of device `index` was at its latest frame (nil: nobody in the room).
    public func lastBody(device index: Int) -> Body? { simulated[index].lastBody }

    /// The next frame in time order across devices that the link did not lose; nil when the run
    /// is over.
    public mutating func next() -> CSIFrame? {
        while true {
            var chosen = -1
            var earliest = Double.infinity
            for i in simulated.indices where simulated[i].nextTime < earliest {
                earliest = simulated[i].nextTime
                chosen = i
            }
            guard chosen >= 0 else { return nil }
            if let frame = simulated[chosen].makeFrame(startTime: startTime) {
                producedFrames += 1
                return frame
            }
            lostFrames += 1
        }
    }
}
