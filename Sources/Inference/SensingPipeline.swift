import Diffusion
import GatewayCore

/// Frames in, stored features and events out: per device, the analyzer cuts windows, the first
/// seconds calibrate the empty room (unless a calibration was given), then the detector decides.
///
/// Not thread-safe: one pipeline task owns it. Live ingest and replay use the same type, so a
/// capture replays exactly as it would have run live.
public struct SensingPipeline: Sendable {
    public struct Output: Sendable {
        public var features: [WindowFeatures] = []
        public var events: [SensingEvent] = []
        /// Devices whose calibration finished during this call, with it.
        public var calibrated: [(DeviceID, Calibration)] = []
        /// Calibrations that drift adaptation changed during this call (see `CalibrationDrift`).
        public var adapted: [(DeviceID, Calibration)] = []
        /// Measurements stored as telemetry (GaN PA frames, averaged per interval).
        public var telemetry: [TelemetrySample] = []
        /// Energy signatures completed during this call (one per device per `diffusion.signature_seconds`).
        public var energySignatures: [EnergySignature] = []
        public init() {}
        public var isEmpty: Bool {
            features.isEmpty && events.isEmpty && calibrated.isEmpty && adapted.isEmpty && telemetry.isEmpty && energySignatures.isEmpty
        }
        public mutating func removeAll() {
            features.removeAll(keepingCapacity: true)
            events.removeAll(keepingCapacity: true)
            telemetry.removeAll(keepingCapacity: true)
            energySignatures.removeAll(keepingCapacity: true)
            calibrated.removeAll()
            adapted.removeAll()
        }
    }

    private struct DeviceState: Sendable {
        var analyzer: DeviceAnalyzer
        var detector: PresenceMotionDetector
        var fall: FallDetector
        var calibration: Calibration?
        var builder = CalibrationBuilder()
        var drift = CalibrationDrift()
        var firstTimestamp: Int64
        var regime: EnergyRegimeDetector
        var signature: EnergySignatureBuilder
    }

    public let settings: DetectorSettings
    /// Calibrations given up front (from another capture or the store), by device; `fallback`
    /// applies to devices not listed.
    private var preset: [DeviceID: Calibration]
    private var fallback: Calibration?
    /// Device states live in an array and are found through `index`, so a frame costs one hash
    /// lookup and every update happens in place (no copy of a state's buffers per window).
    private var index: [DeviceID: Int] = [:]
    private var states: [DeviceState] = []

    /// GaN PA devices: health, sensing and telemetry.
    public private(set) var pa: PAPipeline

    public init(settings: DetectorSettings = .init(), calibrations: [DeviceID: Calibration] = [:], fallback: Calibration? = nil,
                paSettings: PASettingsTable = .init()) {
        self.settings = settings
        self.preset = calibrations
        self.fallback = fallback
        self.pa = PAPipeline(settings: paSettings, detectorSettings: settings)
    }

    /// CSI and GaN PA devices seen.
    public var deviceCount: Int { states.count + pa.deviceCount }

    /// One frame of either kind.
    public mutating func process(_ frame: SensorFrame, lostBefore: Int = 0, into output: inout Output) {
        switch frame {
        case .csi(let csi): process(csi, lostBefore: lostBefore, into: &output)
        case .pa(let pa): process(pa, into: &output)
        }
    }

    /// One GaN PA frame (see `PAPipeline`).
    public mutating func process(_ frame: PAFrame, into output: inout Output) {
        pa.process(frame, into: &output)
    }

    public func calibration(for device: DeviceID) -> Calibration? { index[device].flatMap { states[$0].calibration } }

    /// Calibrations learnt or given so far.
    public var calibrations: [DeviceID: Calibration] {
        index.compactMapValues { states[$0].calibration }
    }

    public mutating func process(_ frame: CSIFrame, lostBefore: Int = 0, into output: inout Output) {
        let slot: Int
        if let known = index[frame.device] {
            slot = known
        } else {
            slot = states.count
            index[frame.device] = slot
            states.append(DeviceState(
                analyzer: DeviceAnalyzer(device: frame.device, settings: settings),
                detector: PresenceMotionDetector(settings: settings),
                fall: FallDetector(settings: settings),
                calibration: preset[frame.device] ?? fallback, firstTimestamp: frame.timestamp,
                regime: EnergyRegimeDetector(device: frame.device, rateThreshold: settings.diffusion.regimeRateThreshold,
                                             minChange: settings.diffusion.regimeMinChange),
                signature: EnergySignatureBuilder(device: frame.device, spanSeconds: settings.diffusion.signatureSeconds)))
        }
        guard let window = states[slot].analyzer.add(frame, lostBefore: lostBefore) else { return }
        handle(window, slot: slot, into: &output)
    }

    /// End of stream: close the last windows and let detectors decide what is pending.
    public mutating func finish(into output: inout Output) {
        pa.finish(into: &output)
        for (device, slot) in index.sorted(by: { $0.key < $1.key }) {
            if let window = states[slot].analyzer.flush() { handle(window, slot: slot, into: &output) }
            if states[slot].calibration == nil, var built = states[slot].builder.build(settings: settings) {
                // The stream ended inside the calibration period: keep what was learnt.
                built.energyModel = states[slot].analyzer.energy.fit()
                states[slot].calibration = built
                output.calibrated.append((device, built))
            }
            let last = states[slot].analyzer.lastTimestamp
            output.events.append(contentsOf: states[slot].detector.finish(at: last))
            output.events.append(contentsOf: states[slot].fall.finish(at: last))
        }
    }

    private mutating func handle(_ window: AnalysisWindow, slot: Int, into output: inout Output) {
        let device = window.features.device
        Self.handle(window, device: device, state: &states[slot], settings: settings, into: &output)
    }

    private static func handle(_ window: AnalysisWindow, device: DeviceID, state: inout DeviceState,
                               settings: DetectorSettings, into output: inout Output) {
        var window = window
        if let calibration = state.calibration {
            if let model = calibration.energyModel, state.analyzer.energy.model == nil { state.analyzer.energy.use(model) }
            if !window.profile.isEmpty { window.features.presenceScore = calibration.presenceScore(window.profile, level: window.level) }
            // The stored motion score is the one the thresholds apply to.
            window.features.motionScore = calibration.motionScore(of: window)
            output.events.append(contentsOf: state.fall.observe(window, calibration: calibration))
            output.features.append(window.features)
            output.events.append(contentsOf: state.detector.observe(window, calibration: calibration))
            var adapted = calibration
            learnEnergy(from: window, state: &state, calibration: calibration, settings: settings)
            if let model = state.analyzer.energy.model { adapted.energyModel = model }
            if settings.adaptToDrift, state.drift.observe(window, detectorIdle: state.detector.isIdle, calibration: &adapted) {
                output.adapted.append((device, adapted))
            }
            state.calibration = adapted
        } else {
            // Falls need no calibration: judged from the first window on.
            output.events.append(contentsOf: state.fall.observe(window))
            output.features.append(window.features)
            if !window.profile.isEmpty { state.builder.add(window) }
            // The calibration period is the empty room by declaration: every window teaches the model.
            state.analyzer.energy.acceptWindow(seconds: Double(window.features.end - window.features.start) / 1_000_000)
            let elapsed = Double(window.features.end - state.firstTimestamp) / 1_000_000
            if elapsed >= settings.calibrationSeconds, var built = state.builder.build(settings: settings) {
                built.energyModel = state.analyzer.energy.fit()
                state.calibration = built
                output.calibrated.append((device, built))
            }
        }
        if let energy = window.energy {
            if settings.diffusion.regimeEvents, let event = state.regime.observe(energy) { output.events.append(event) }
            if let signature = state.signature.add(energy) { output.energySignatures.append(signature) }
        }
    }

    /// After calibration the energy model keeps learning from windows that are clearly the empty
    /// room (no interval open, both scores under half their thresholds, as `CalibrationDrift`
    /// asks), and a calibration without a model (older, or from a capture of another layout)
    /// gets one after `calibrationSeconds` of them.
    private static func learnEnergy(from window: AnalysisWindow, state: inout DeviceState, calibration: Calibration,
                                    settings: DetectorSettings) {
        guard settings.diffusion.enabled else { return }
        let empty = state.detector.isIdle && !window.profile.isEmpty
            && window.features.presenceScore < CalibrationDrift.emptyFraction * calibration.presenceThreshold
            && calibration.motionScore(of: window) < CalibrationDrift.emptyFraction * calibration.motionThreshold
        if empty {
            state.analyzer.energy.acceptWindow(seconds: Double(window.features.end - window.features.start) / 1_000_000,
                                               fitAfterSeconds: settings.calibrationSeconds)
        } else {
            state.analyzer.energy.discardWindow()
        }
    }
}
