import Diffusion
import GatewayCore

/// Sums a device's window energy states into `EnergySignature`s of `spanSeconds` each: mean
/// E_state, the least-squares slope of E_state against window time (dE/dt over the span, less
/// noisy than the window-to-window rate), and mean S_state.
struct EnergySignatureBuilder: Sendable {
    let device: DeviceID
    let spanSeconds: Double
    private var start: Int64?
    private var end: Int64 = 0
    private var count = 0
    private var energySum = 0.0, entropySum = 0.0
    private var timeSum = 0.0, timeSquares = 0.0, productSum = 0.0

    init(device: DeviceID, spanSeconds: Double) {
        self.device = device
        self.spanSeconds = spanSeconds
    }

    /// Adds a window's state; returns a signature when the span is complete.
    mutating func add(_ state: EnergyState) -> EnergySignature? {
        guard spanSeconds > 0 else { return nil }
        let origin = start ?? state.start
        start = origin
        end = state.end
        let t = Double(state.start - origin) / 1_000_000
        count += 1
        energySum += state.energy
        entropySum += state.entropy
        timeSum += t
        timeSquares += t * t
        productSum += t * state.energy
        guard Double(end - origin) / 1_000_000 >= spanSeconds else { return nil }
        defer { reset() }
        return signature()
    }

    private func signature() -> EnergySignature? {
        guard let start, count > 0 else { return nil }
        let n = Double(count)
        let spread = n * timeSquares - timeSum * timeSum
        let slope = spread > 0 ? (n * productSum - timeSum * energySum) / spread : 0
        return EnergySignature(device: device, start: start, end: end, windows: count, energy: energySum / n,
                               energyRate: slope, entropy: entropySum / n)
    }

    private mutating func reset() {
        start = nil
        count = 0
        energySum = 0; entropySum = 0; timeSum = 0; timeSquares = 0; productSum = 0
    }
}
