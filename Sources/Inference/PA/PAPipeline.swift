import GatewayCore

/// GaN PA frames in, health events, presence/motion events, window features and telemetry out:
/// per device a `PAMeter` (DSP), an `AMAMCurve`, a `PAHealthMonitor`, `PASensing` and the
/// telemetry averager. Owned by `SensingPipeline`, which routes PA frames here.
public struct PAPipeline: Sendable {
    struct DeviceState: Sendable {
        let settings: PASettings
        var meter = PAMeter()
        var curve = AMAMCurve()
        var health: PAHealthMonitor
        var sensing: PASensing
        var telemetry: PATelemetry
        var last: Int64 = 0

        mutating func process(_ frame: PAFrame, into output: inout SensingPipeline.Output) {
            let m = meter.measure(frame, settings: settings, curve: &curve)
            last = max(last, frame.timestamp)
            output.events.append(contentsOf: health.observe(m, device: frame.device))
            sensing.observe(m, loadFault: health.loadFault, features: &output.features, events: &output.events)
            telemetry.add(m, trend: health.temperatureTrend, into: &output.telemetry)
        }
    }

    public let settings: PASettingsTable
    private let detectorSettings: DetectorSettings
    private var index: [DeviceID: Int] = [:]
    private var states: [DeviceState] = []

    public init(settings: PASettingsTable, detectorSettings: DetectorSettings) {
        self.settings = settings
        self.detectorSettings = detectorSettings
    }

    public var deviceCount: Int { states.count }

    public mutating func process(_ frame: PAFrame, into output: inout SensingPipeline.Output) {
        let slot: Int
        if let known = index[frame.device] {
            slot = known
        } else {
            slot = states.count
            index[frame.device] = slot
            let s = settings.settings(for: frame.device)
            states.append(DeviceState(
                settings: s,
                health: PAHealthMonitor(settings: s),
                sensing: PASensing(device: frame.device, settings: s, detectorSettings: detectorSettings),
                telemetry: PATelemetry(device: frame.device, intervalSeconds: s.telemetryIntervalSeconds)))
        }
        states[slot].process(frame, into: &output)
    }

    /// End of stream: close open alarms and intervals, flush partial telemetry intervals.
    public mutating func finish(into output: inout SensingPipeline.Output) {
        for (_, slot) in index.sorted(by: { $0.key < $1.key }) {
            let last = states[slot].last
            output.events.append(contentsOf: states[slot].health.finish(at: last))
            states[slot].sensing.finish(at: last, features: &output.features, events: &output.events)
            states[slot].telemetry.flush(at: last, trend: states[slot].health.temperatureTrend, into: &output.telemetry)
        }
    }
}
