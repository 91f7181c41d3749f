/// The energy and entropy of one analysis window under a device's `EnergyModel`.
public struct EnergyState: Sendable, Equatable, Codable {
    /// Window start and end, Unix microseconds.
    public var start: Int64
    public var end: Int64
    /// Frames the window held.
    public var frames: Int
    /// E_state: mean over the window's frames of E(x)/n, the energy per dimension. A frame drawn
    /// from the model has E(x)/n ≈ ½ on average (E[(x − μ)ᵀΣ⁻¹(x − μ)] = n); a changed room more.
    public var energy: Double
    /// dE/dt: change of `energy` from the previous window, per second (0 for a first window).
    public var energyRate: Double
    /// S_state: the Gaussian differential entropy, in nats, of the window's frames projected on
    /// the model's k principal directions, ½·ln((2πe)^k · det(C_z + ε·I)), with C_z the k×k
    /// covariance of z = Uᵀ(x − μ) over the window and ε the model's mean residual variance (the
    /// spread the model attributes to noise, so a window of identical frames stays finite).
    public var entropy: Double

    public init(start: Int64, end: Int64, frames: Int, energy: Double, energyRate: Double, entropy: Double) {
        self.start = start
        self.end = end
        self.frames = frames
        self.energy = energy
        self.energyRate = energyRate
        self.entropy = entropy
    }
}
