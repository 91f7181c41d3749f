import Foundation
import DSP
import Diffusion
import GatewayCore

/// One device's diffusion engine: completes each frame's amplitude vector (interpolation, then
/// Langevin imputation once an energy model exists), learns the model from windows the pipeline
/// accepts as empty room, and tracks each window's energy and entropy.
///
/// The model covers the detectors' usable subcarriers with invalid ones included
/// (`SubcarrierSelection.usable`), whether or not imputed values are handed to the detectors, so a
/// calibration's model serves both settings. Window statistics are kept apart until the pipeline
/// says whether the window was empty (`acceptWindow`/`discardWindow`). Nothing is allocated per
/// frame once a layout is configured.
public struct DeviceEnergyEngine: Sendable {
    public let settings: DiffusionSettings
    public private(set) var model: EnergyModel?
    /// Frames that had missing amplitudes, and amplitudes filled, since start.
    public private(set) var repairedFrames = 0
    public private(set) var repairedValues = 0
    /// Models fitted since start (the calibration's, then refreshes).
    public private(set) var fits = 0

    private var bins = MissingBins()
    private var vector: [Float] = []
    private var windowMoments = MomentAccumulator(dimension: 0)
    /// The current window's moments, accumulated per frame by DSP's SIMD kernel (Float, shifted
    /// sums) and handed over as a `MomentAccumulator` at window close; nil above its 256 channels,
    /// where `windowMoments` takes every frame instead (Welford in Double, several times slower).
    private var windowCovariance: WindowCovariance?
    private var windowMean: [Float] = []
    private var windowScatter: [Float] = []
    private var pendingMoments = MomentAccumulator(dimension: 0)
    private var learnt = MomentAccumulator(dimension: 0)
    private var sampler: LangevinSampler?
    private var tracker: EnergyTracker?
    private var secondsSinceFit = 0.0
    private var acceptedSeconds = 0.0
    private let seed: UInt64
    /// Frames a fit needs per modelled subcarrier: the covariance of n dimensions from fewer
    /// than a few times n frames puts noise into its principal directions (on the 566-frame,
    /// 224-subcarrier Nexmon 80 MHz example, 2n gave imputations 31 % off their neighbours).
    public static let framesPerDimension = 4

    public init(settings: DiffusionSettings, device: DeviceID) {
        self.settings = settings
        // A stable per-device seed (FNV-1a of the id), so replays are reproducible.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in device.rawValue.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        seed = hash
    }

    /// Modelled positions of the frame's CSI vector.
    public var positions: [Int] { bins.positions }

    /// Frame positions found missing in the last processed frame (filled by `process`).
    public var lastMissingPositions: [Int] { bins.current.map { bins.positions[$0] } }

    /// Sets up for a new layout; forgets a model of another dimension.
    public mutating func configure(positions: [Int], frame: CSIFrame) {
        bins.configure(positions: positions, layout: frame.layout, count: frame.subcarrierCount,
                       firstWordInvalid: frame.firstWordInvalid, invalid: frame.invalidSubcarriers)
        let n = positions.count
        vector = [Float](repeating: 0, count: n)
        windowMoments = MomentAccumulator(dimension: n)
        windowCovariance = try? WindowCovariance(channels: n)
        windowMean = [Float](repeating: 0, count: windowCovariance == nil ? 0 : n)
        windowScatter = [Float](repeating: 0, count: windowCovariance == nil ? 0 : n * n)
        pendingMoments = MomentAccumulator(dimension: n)
        learnt = MomentAccumulator(dimension: n)
        acceptedSeconds = 0
        secondsSinceFit = 0
        if let model, model.dimension != n { drop() }
    }

    /// Uses a model learnt elsewhere (a stored or preset calibration); ignored when its dimension
    /// is not this layout's.
    public mutating func use(_ model: EnergyModel) {
        guard model.dimension == bins.dimension, model != self.model else { return }
        install(model)
    }

    /// One frame: `amplitudes` is the frame's whole amplitude vector. Returns how many modelled
    /// amplitudes were missing; with `writeBack` their repaired values replace them in `amplitudes`.
    @discardableResult
    public mutating func process(_ amplitudes: UnsafeMutableBufferPointer<Float>, pairs: [Int8]?, writeBack: Bool) -> Int {
        let n = bins.dimension
        guard n > 0, settings.enabled || writeBack else { return 0 }
        bins.gather(UnsafeBufferPointer(amplitudes), pairs: pairs, into: &vector)
        let missing = bins.current.count
        if missing > 0 {
            repairedFrames += 1
            repairedValues += missing
            // With more than half missing the model has too little to condition on: keep the interpolation.
            if sampler != nil, 2 * missing <= n {
                bins.current.withUnsafeBufferPointer { m in
                    vector.withUnsafeMutableBufferPointer { sampler?.impute($0, missing: m) }
                }
            }
            if writeBack {
                for i in bins.current { amplitudes[bins.positions[i]] = vector[i] }
            }
        }
        if settings.enabled {
            vector.withUnsafeBufferPointer { x in
                if windowCovariance != nil { windowCovariance?.add(x) } else { windowMoments.add(x) }
                tracker?.add(x)
            }
        }
        return missing
    }

    /// The window [start, end) ended: its energy state (nil before a model exists or with fewer
    /// than 2 frames). Its statistics wait for `acceptWindow` or `discardWindow`.
    public mutating func closeWindow(start: Int64, end: Int64) -> EnergyState? {
        if let covariance = windowCovariance {
            if covariance.count > 0 {
                windowMean.withUnsafeMutableBufferPointer { covariance.mean(into: $0) }
                windowScatter.withUnsafeMutableBufferPointer { covariance.covariance(into: $0) }
                windowMean.withUnsafeBufferPointer { m in
                    windowScatter.withUnsafeBufferPointer { pendingMoments.load(weight: Double(covariance.count), mean: m, covariance: $0) }
                }
            } else {
                pendingMoments.reset()
            }
            windowCovariance?.reset()
        } else {
            swap(&windowMoments, &pendingMoments)
            windowMoments.reset()
        }
        return tracker?.close(start: start, end: end)
    }

    /// The last closed window showed the empty room: learn from it (forgetting older windows with
    /// `settings.memorySeconds`). With no model yet, one is fitted once `fitAfterSeconds` of windows
    /// were accepted; with one, it is refitted every `settings.refreshSeconds`. Returns true when
    /// the model changed.
    @discardableResult
    public mutating func acceptWindow(seconds: Double, fitAfterSeconds: Double = .infinity) -> Bool {
        guard settings.enabled, pendingMoments.weight > 0 else { return false }
        if settings.memorySeconds > 0 { learnt.decay(by: exp(-seconds / settings.memorySeconds)) }
        learnt.merge(pendingMoments)
        pendingMoments.reset()
        acceptedSeconds += seconds
        secondsSinceFit += seconds
        let due = model == nil ? acceptedSeconds >= fitAfterSeconds : secondsSinceFit >= settings.refreshSeconds
        return due && fit() != nil
    }

    /// The last closed window was not the empty room: forget its statistics.
    public mutating func discardWindow() {
        pendingMoments.reset()
    }

    /// Fits (or refits) the model from the accepted windows; nil when they are too few (under
    /// `framesPerDimension` times the dimension) or the fit failed, leaving any previous model in
    /// place. Without a model, missing amplitudes are interpolated from their neighbours.
    @discardableResult
    public mutating func fit() -> EnergyModel? {
        guard settings.enabled, bins.dimension > 0, learnt.weight >= Double(max(8, Self.framesPerDimension * bins.dimension)) else { return nil }
        guard let fitted = try? EnergyModel(moments: learnt, maxRank: settings.maxRank) else { return nil }
        install(fitted)
        fits += 1
        return fitted
    }

    private mutating func install(_ model: EnergyModel) {
        self.model = model
        sampler = try? LangevinSampler(model: model, settings: settings.langevin, seed: seed)
        tracker = EnergyTracker(model: model)
        secondsSinceFit = 0
    }

    private mutating func drop() {
        model = nil
        sampler = nil
        tracker = nil
    }
}
