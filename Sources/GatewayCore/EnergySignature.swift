/// A device's energy state over a span of its windows, as the diffusion engine measured it:
/// what a signed log entry records (`LogEntry.energy_signature`) and a sync batch carries.
public struct EnergySignature: Sendable, Equatable, Codable {
    public var device: DeviceID
    /// Span covered, Unix microseconds: the first window's start to the last window's end.
    public var start: Int64
    public var end: Int64
    /// Windows summed.
    public var windows: Int
    /// E_state: mean energy per dimension over the windows (½ for frames like the calibration's).
    public var energy: Double
    /// dE/dt: least-squares slope of the windows' E_state against time, per second.
    public var energyRate: Double
    /// S_state: mean window entropy in the model's principal subspace, nats.
    public var entropy: Double

    public init(device: DeviceID, start: Int64, end: Int64, windows: Int, energy: Double, energyRate: Double, entropy: Double) {
        self.device = device
        self.start = start
        self.end = end
        self.windows = windows
        self.energy = energy
        self.energyRate = energyRate
        self.entropy = entropy
    }
}
