/// A labelled interval of a simulated run: what truly happened, for scoring detectors.
public struct GroundTruthInterval: Sendable, Codable, Equatable {
    /// Event kind, as the detectors name theirs ("motion").
    public var kind: String
    /// Seconds from the start of the run; `end` is exclusive.
    public var start: Double
    public var end: Double

    public init(kind: String, start: Double, end: Double) {
        self.kind = kind
        self.start = start
        self.end = end
    }
}
