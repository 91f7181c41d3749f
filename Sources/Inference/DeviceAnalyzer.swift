import DSP
import Diffusion
import GatewayCore

/// Turns one device's frames into analysis windows of fixed duration (frame timestamps decide,
/// so any rate and any gap works). Per frame it computes amplitudes with the SIMD kernels, passes
/// the selected subcarriers' amplitudes through a Hampel filter (`DetectorSettings.hampelWindow`,
/// so everything downstream, calibration included, sees the same filtered values) and
/// accumulates per-subcarrier moments; no allocation per frame once the layout is known.
public struct DeviceAnalyzer: Sendable {
    public let device: DeviceID
    private let windowMicros: Int64
    private let minFrames: Int
    private let hampelWindow: Int
    private let hampelThreshold: Float
    /// Hand the diffusion engine's repaired amplitudes to the detectors (`diffusion.impute`).
    private let impute: Bool
    private let engineActive: Bool
    /// The diffusion engine: completes each frame's modelled amplitudes, learns the device's
    /// energy model when the pipeline accepts a window, and measures energy and entropy.
    public var energy: DeviceEnergyEngine
    /// Modelled amplitudes found missing in the current window.
    private var repaired = 0

    private var amplitudes: [Float] = []
    private var selected: [Float] = []
    /// The previous frame's selected amplitudes.
    private var previous: [Float] = []
    private var selection: [Int] = []
    private var selectionKey = SelectionKey()
    /// Spikes out of each selected subcarrier's amplitude series (nil: filter off).
    private var hampel: HampelFilter?
    /// Amplitudes the filter replaced in the current window.
    private var outliers = 0
    private var moments = WindowMoments(capacity: 64)
    /// The same moments of gain-compensated frames (each divided by its mean level).
    private var shapeMoments = WindowMoments(capacity: 64)
    private var previousLevel: Float = 0
    private var doppler = DopplerTracker()
    private var gainSteps = 0
    private var windowStart: Int64?
    private var frames = 0
    private var lost = 0
    private var rssiSum = 0.0
    private var scratchMean: [Float] = []
    private var scratchVariance: [Float] = []
    private var shapeMean: [Float] = []
    private var shapeVariance: [Float] = []
    /// Covariance of `coherenceChannels` subcarriers (evenly spread over the selected ones), for
    /// the window's coherence; nil without a selection. Fed the filtered amplitudes as received
    /// (level changes kept: the simulator's moving body mostly swells and fades every subcarrier
    /// together, which dividing each frame by its level would remove), with the window's gain
    /// steps undone by `coherenceCorrection` so a receiver gain step does not look coherent.
    private var covariance: WindowCovariance?
    private var coherenceCorrection: Float = 1
    private var coherencePicks: [Int] = []
    private var coherenceFrame: [Float] = []
    private var correlation: [Float] = []

    /// A frame-to-frame level change above this ratio (about 2.9 dB) that keeps the profile's
    /// shape (`gainStepShapeLimit`) counts as a gain step: an empty room's level moves by a few
    /// per cent between frames, AGC steps by 3 dB or more.
    public static let gainStepRatio: Float = 1.4
    /// A level jump counts as a gain step only if the frame's shape stayed within this distance
    /// (`Vector.shapeDistance`) of the previous frame's: noise at 25 dB SNR gives about 0.06.
    public static let gainStepShapeLimit: Float = 0.15
    /// Subcarriers the coherence feature correlates (S of the S x S matrix; fewer when fewer are
    /// selected). Must stay well below a window's frame count (20 at 100 frames/s), or sampling
    /// alone makes independent noise look coherent.
    public static let coherenceChannels = 16
    /// Windows with fewer frames than this get no coherence (0).
    public static let coherenceMinFrames = 8
    public private(set) var lastTimestamp: Int64 = 0

    private struct SelectionKey: Equatable, Sendable {
        var layout: SubcarrierLayout = .lltf
        var count = -1
        var firstWordInvalid = false
        var invalid: [Int] = []
    }

    public init(device: DeviceID, settings: DetectorSettings) {
        self.device = device
        self.windowMicros = Int64(max(10, settings.windowMillis)) * 1_000
        self.minFrames = max(1, settings.minFramesPerWindow)
        self.hampelWindow = settings.hampelWindow
        self.hampelThreshold = Float(settings.hampelThreshold)
        self.impute = settings.diffusion.impute
        self.engineActive = settings.diffusion.enabled || settings.diffusion.impute
        self.energy = DeviceEnergyEngine(settings: settings.diffusion, device: device)
    }

    /// Adds a frame; returns the window it closed, if any (the frame then opens the next one).
    /// `lostBefore` is the number of frames the sequence numbers say were lost before this one.
    public mutating func add(_ frame: CSIFrame, lostBefore: Int = 0) -> AnalysisWindow? {
        var closed: AnalysisWindow?
        if let start = windowStart, frame.timestamp >= start + windowMicros || frame.timestamp < start {
            closed = closeWindow()
            // Align the next window to the grid unless the stream jumped (gap or clock step).
            let next = start + windowMicros
            windowStart = frame.timestamp >= next && frame.timestamp < next + windowMicros ? next : frame.timestamp
        } else if windowStart == nil {
            windowStart = frame.timestamp
        }
        updateSelection(for: frame)
        guard !selection.isEmpty else { return closed }
        computeAmplitudes(frame)
        if engineActive {
            let pairs: [Int8]? = if case .int8Pairs(let values) = frame.payload { values } else { nil }
            repaired += amplitudes.withUnsafeMutableBufferPointer { energy.process($0, pairs: pairs, writeBack: impute) }
        }
        for (i, k) in selection.enumerated() { selected[i] = amplitudes[k] }
        if hampel != nil {
            selected.withUnsafeMutableBufferPointer { values in
                outliers += hampel?.filter(UnsafeBufferPointer(values), into: values) ?? 0
            }
        }
        selected.withUnsafeBufferPointer { moments.add($0) }
        let level = selected.withUnsafeBufferPointer { Vector.mean($0) }
        if level > 0 {
            var step: Float?
            if previousLevel > 0, max(level, previousLevel) > Self.gainStepRatio * min(level, previousLevel),
               isGainStep() {
                gainSteps += 1
                step = level / previousLevel
            }
            selected.withUnsafeBufferPointer { doppler.add($0, timestamp: frame.timestamp, channel: frame.channel, step: step) }
            if covariance != nil {
                if let step, step > 0 { coherenceCorrection /= step }
                let correction = coherenceCorrection
                for (i, k) in coherencePicks.enumerated() { coherenceFrame[i] = selected[k] * correction }
                coherenceFrame.withUnsafeBufferPointer { covariance?.add($0) }
            }
            for i in selected.indices { previous[i] = selected[i] }
            previousLevel = level
            selected.withUnsafeMutableBufferPointer { Vector.scale($0, by: 1 / level) }
            selected.withUnsafeBufferPointer { shapeMoments.add($0) }
        }
        frames += 1
        lost += lostBefore
        rssiSum += Double(frame.rssi)
        lastTimestamp = frame.timestamp
        return closed
    }

    /// Whether the level jump to the current frame kept the shape of the previous frame, as a
    /// receiver gain step does (every subcarrier scaled alike). A person entering a deep fade
    /// also changes the level quickly, but reshapes the profile while doing so.
    private func isGainStep() -> Bool {
        selected.withUnsafeBufferPointer { current in
            previous.withUnsafeBufferPointer { Vector.shapeDistance(current, $0) < Self.gainStepShapeLimit }
        }
    }

    /// Closes the current window (end of stream).
    public mutating func flush() -> AnalysisWindow? {
        guard windowStart != nil else { return nil }
        let window = closeWindow()
        windowStart = nil
        return window
    }

    /// The first principal component's share of the window's correlation matrix (0 with too few frames).
    private mutating func coherence() -> Double {
        guard let covariance, covariance.count >= Self.coherenceMinFrames else { return 0 }
        let size = covariance.channels
        return correlation.withUnsafeMutableBufferPointer { matrix in
            covariance.correlation(into: matrix)
            return PrincipalComponent.share(UnsafeBufferPointer(matrix), size: size)
        }
    }

    private mutating func updateSelection(for frame: CSIFrame) {
        let key = SelectionKey(layout: frame.layout, count: frame.subcarrierCount,
                               firstWordInvalid: frame.firstWordInvalid, invalid: frame.invalidSubcarriers)
        guard key != selectionKey else { return }
        // The layout changed mid-stream: the running window no longer compares; start afresh.
        if frames > 0 { moments.reset(subcarriers: 0); shapeMoments.reset(subcarriers: 0); frames = 0; lost = 0; rssiSum = 0; gainSteps = 0; outliers = 0; repaired = 0 }
        previousLevel = 0
        selectionKey = key
        let usable = SubcarrierSelection.usable(for: frame)
        selection = impute ? usable : SubcarrierSelection.indices(for: frame)
        if engineActive { energy.configure(positions: usable, frame: frame) }
        amplitudes = [Float](repeating: 0, count: frame.subcarrierCount)
        selected = [Float](repeating: 0, count: selection.count)
        previous = [Float](repeating: 0, count: selection.count)
        scratchMean = [Float](repeating: 0, count: selection.count)
        scratchVariance = [Float](repeating: 0, count: selection.count)
        shapeMean = [Float](repeating: 0, count: selection.count)
        shapeVariance = [Float](repeating: 0, count: selection.count)
        moments = WindowMoments(capacity: selection.count)
        moments.reset(subcarriers: selection.count)
        shapeMoments = WindowMoments(capacity: selection.count)
        shapeMoments.reset(subcarriers: selection.count)
        doppler.reset(selected: selection.count)
        let picked = min(Self.coherenceChannels, selection.count)
        coherencePicks = (0..<picked).map { ($0 * 2 + 1) * selection.count / (2 * picked) }
        coherenceFrame = [Float](repeating: 0, count: picked)
        correlation = [Float](repeating: 0, count: picked * picked)
        covariance = picked > 0 ? try? WindowCovariance(channels: picked) : nil
        coherenceCorrection = 1
        // An invalid window length (settings not checked by the config loader) leaves the filter off.
        hampel = hampelWindow > 0 && !selection.isEmpty
            ? try? HampelFilter(channels: selection.count, window: hampelWindow, threshold: hampelThreshold) : nil
    }

    private mutating func computeAmplitudes(_ frame: CSIFrame) {
        amplitudes.withUnsafeMutableBufferPointer { out in
            switch frame.payload {
            case .int8Pairs(let pairs):
                pairs.withUnsafeBufferPointer { Amplitude.fromInt8Pairs($0, into: out) }
            case .complex(let values):
                values.withUnsafeBufferPointer { Amplitude.fromComplex($0, into: out) }
            }
        }
    }

    private mutating func closeWindow() -> AnalysisWindow? {
        guard let start = windowStart else { return nil }
        defer {
            moments.reset(subcarriers: selection.count)
            shapeMoments.reset(subcarriers: selection.count)
            covariance?.reset()
            coherenceCorrection = 1
            gainSteps = 0
            outliers = 0
            repaired = 0
            frames = 0
            lost = 0
            rssiSum = 0
        }
        let energyState = engineActive ? energy.closeWindow(start: start, end: start + windowMicros) : nil
        guard frames > 0 else { return nil }
        scratchMean.withUnsafeMutableBufferPointer { moments.mean(into: $0) }
        scratchVariance.withUnsafeMutableBufferPointer { moments.variance(into: $0) }
        let shapeFrames = shapeMoments.count
        if shapeFrames > 0 {
            shapeMean.withUnsafeMutableBufferPointer { shapeMoments.mean(into: $0) }
            shapeVariance.withUnsafeMutableBufferPointer { shapeMoments.variance(into: $0) }
        }
        // Motion: mean squared coefficient of variation over subcarriers (gain-invariant within
        // the window); presence is scored later against the calibration.
        var cv2 = 0.0
        var amplitudeSum = 0.0
        var used = 0
        for i in 0..<scratchMean.count {
            let mean = Double(scratchMean[i])
            amplitudeSum += mean
            if mean > 1e-3 {
                cv2 += Double(scratchVariance[i]) / (mean * mean)
                used += 1
            }
        }
        let scored = frames >= minFrames && used > 0
        var shapeCV2 = 0.0
        var shapeUsed = 0
        for i in 0..<shapeMean.count where shapeFrames > 0 && shapeMean[i] > 1e-3 {
            shapeCV2 += Double(shapeVariance[i]) / (Double(shapeMean[i]) * Double(shapeMean[i]))
            shapeUsed += 1
        }
        let features = WindowFeatures(
            device: device, start: start, end: start + windowMicros, frames: frames, lostFrames: lost,
            meanRSSI: rssiSum / Double(frames),
            meanAmplitude: scratchMean.isEmpty ? 0 : amplitudeSum / Double(scratchMean.count),
            motionScore: scored ? cv2 / Double(used) : 0, presenceScore: 0, coherence: scored ? coherence() : 0)
        var window = AnalysisWindow(
            features: features, profile: scored && shapeFrames > 0 ? shapeMean : [],
            compensatedMotionScore: shapeUsed > 0 ? shapeCV2 / Double(shapeUsed) : 0, gainSteps: gainSteps,
            levelProfile: scored ? scratchMean : [], doppler: scored ? doppler.bands() : nil, outliers: outliers)
        window.repaired = repaired
        window.energy = energyState
        return window
    }
}
