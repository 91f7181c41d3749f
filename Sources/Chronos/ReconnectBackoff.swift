/// Delays between reconnect attempts: exponential from `initialSeconds`, capped at `maxSeconds`,
/// with "equal jitter" (half the step fixed, half random) so that gateways that lost the same
/// machine at the same moment do not all knock on it in step. `reset()` after a good session.
public struct ReconnectBackoff: Sendable, Equatable {
    public let initialSeconds: Double
    public let maxSeconds: Double
    private var step: Double

    public init(initialSeconds: Double = 0.5, maxSeconds: Double = 30) {
        self.initialSeconds = max(0.001, initialSeconds)
        self.maxSeconds = max(self.initialSeconds, maxSeconds)
        step = self.initialSeconds
    }

    /// The next delay in seconds, in [step/2, step]; the step then doubles up to the cap.
    public mutating func next() -> Double {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    public mutating func next(using generator: inout some RandomNumberGenerator) -> Double {
        let half = step / 2
        let delay = half + Double.random(in: 0...half, using: &generator)
        step = min(step * 2, maxSeconds)
        return delay
    }

    public mutating func reset() { step = initialSeconds }
}
