/// Exponential backoff with jitter: the n-th delay is a random value between half and all of
/// min(initial * 2^n, maximum), so many gateways reconnecting at once spread out.
public struct Backoff: Sendable {
    public let initial: Duration
    public let maximum: Duration
    public private(set) var attempt = 0

    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    public mutating func next() -> Duration {
        let factor = Double(1 << min(attempt, 20))
        attempt += 1
        let capped = min(initial.secondsValue * factor, maximum.secondsValue)
        return .seconds(capped * Double.random(in: 0.5...1.0))
    }

    public mutating func reset() { attempt = 0 }
}
