import Diffusion
import GatewayCore

/// Finds changes of regime in a device's entropy S_state (`EnergyState.entropy`), from its gradient.
///
/// Per window the rate dS/dt = (S − S_prev)/Δt is taken between window starts. Outside a
/// transition the regime's level follows the windows (exponential average, weight 0.2). A
/// transition starts when |dS/dt| exceeds `rateThreshold` and ends after `settleWindows`
/// consecutive windows back under it (or `maxTransitionSeconds`); its new level is the mean of
/// those calm windows. If that level is at least `minChange` nats from the level before, an
/// `energy_regime` event is raised, spanning the transition, with the deciding features:
/// entropy before and after, their difference, the peak |dS/dt|, energy before and after, the
/// stability score 1/(1 + |dS/dt|/threshold) of the last window, and the regime: 1 ("active")
/// when the new level is more than `minChange` above the first settled level (the room as
/// calibrated), else 0 ("quiet"). A person entering the room raises the entropy (the frames
/// spread in more directions of the principal subspace); leaving lowers it again.
public struct EnergyRegimeDetector: Sendable {
    public let modelVersion = "entropy-gradient-v1"
    public let device: DeviceID
    public let rateThreshold: Double
    public let minChange: Double
    public static let settleWindows = 3
    public static let maxTransitionSeconds = 30.0

    private struct Transition {
        var start: Int64
        var entropyBefore: Double
        var energyBefore: Double
        var peakRate: Double
        var calm = 0
        var calmEntropy = 0.0
        var calmEnergy = 0.0
    }

    private var last: EnergyState?
    private var level: (entropy: Double, energy: Double)?
    private var reference: Double?
    private var transition: Transition?
    /// Stability of the last window: 1/(1 + |dS/dt| / rateThreshold), in (0, 1].
    public private(set) var stability = 1.0
    public private(set) var regime = 0

    public init(device: DeviceID, rateThreshold: Double, minChange: Double) {
        self.device = device
        self.rateThreshold = max(1e-6, rateThreshold)
        self.minChange = max(0, minChange)
    }

    /// Observes the next window's state; returns an event when a transition settled at a new level.
    public mutating func observe(_ state: EnergyState) -> SensingEvent? {
        defer { last = state }
        guard let previous = last, state.start > previous.start else {
            level = level ?? (state.entropy, state.energy)
            return nil
        }
        let rate = (state.entropy - previous.entropy) / (Double(state.start - previous.start) / 1_000_000)
        stability = 1 / (1 + abs(rate) / rateThreshold)
        guard var current = transition else {
            if abs(rate) > rateThreshold, let level {
                transition = Transition(start: previous.start, entropyBefore: level.entropy, energyBefore: level.energy, peakRate: abs(rate))
            } else if let before = level {
                level = (before.entropy + 0.2 * (state.entropy - before.entropy), before.energy + 0.2 * (state.energy - before.energy))
                if reference == nil, last != nil { reference = level?.entropy }
            }
            return nil
        }
        current.peakRate = max(current.peakRate, abs(rate))
        if abs(rate) <= rateThreshold {
            current.calm += 1
            current.calmEntropy += state.entropy
            current.calmEnergy += state.energy
        } else {
            current.calm = 0
            current.calmEntropy = 0
            current.calmEnergy = 0
        }
        let elapsed = Double(state.end - current.start) / 1_000_000
        guard current.calm >= Self.settleWindows || elapsed >= Self.maxTransitionSeconds else {
            transition = current
            return nil
        }
        transition = nil
        let calm = Double(max(1, current.calm))
        let after = current.calm > 0 ? (current.calmEntropy / calm, current.calmEnergy / calm) : (state.entropy, state.energy)
        level = after
        let change = after.0 - current.entropyBefore
        guard abs(change) >= minChange else { return nil }
        let base = reference ?? current.entropyBefore
        regime = after.0 - base > minChange ? 1 : 0
        return SensingEvent(
            device: device, kind: .energyRegime, confidence: min(1, abs(change) / (2 * max(minChange, 1e-9))),
            start: current.start, end: state.end, modelVersion: modelVersion,
            features: [
                NamedValue("entropy_before", current.entropyBefore), NamedValue("entropy_after", after.0),
                NamedValue("entropy_change", change), NamedValue("peak_entropy_rate", current.peakRate),
                NamedValue("energy_before", current.energyBefore), NamedValue("energy_after", after.1),
                NamedValue("stability", stability), NamedValue("regime", Double(regime)),
            ])
    }
}
