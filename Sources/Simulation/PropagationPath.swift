/// One propagation path of the channel: its contribution at frequency f is
/// `amplitude · exp(j · (phase − 2π · f · length / c))`.
public struct PropagationPath: Sendable, Equatable {
    /// Path length, metres.
    public var length: Double
    /// Linear amplitude (free space: 1 / length for the direct path).
    public var amplitude: Double
    /// Extra phase, radians (π for a reflection off a denser medium, random for scatterers).
    public var phase: Double

    public init(length: Double, amplitude: Double, phase: Double = 0) {
        self.length = length
        self.amplitude = amplitude
        self.phase = phase
    }
}
