import GatewayCore

/// What happens in the simulated room over the run.
///
/// - `empty`: nobody, the whole time.
/// - `walk`: one person walking the whole time (random waypoints at 0.8–1.4 m/s, often across the
///   line of sight, with short stops where they stand and breathe).
/// - `empty-walk-empty`: empty for the first third; the person comes in through the door and walks
///   for the middle third, then leaves; empty for the last third.
/// - `fall`, `sit-down`, `lie-down`: the person walks, then (see `Activity.start`) falls, sits
///   down or lies down, and stays there breathing until the end.
/// - `still`: a person stands still in the room the whole time, breathing: present, not moving.
public enum ScenarioName: String, CaseIterable, Sendable, Codable {
    case empty
    case walk
    case emptyWalkEmpty = "empty-walk-empty"
    case fall
    case sitDown = "sit-down"
    case lieDown = "lie-down"
    case still

    /// The posture change this scenario ends with, if any.
    public var activity: Activity? {
        switch self {
        case .fall: .fall
        case .sitDown: .sitDown
        case .lieDown: .lieDown
        case .empty, .walk, .emptyWalkEmpty, .still: nil
        }
    }

    /// Parses a scenario name as the CLI and config files spell it (case-insensitive).
    public static func parse(_ text: String) throws(GatewayError) -> ScenarioName {
        let name = text.trimmingSpaces.lowercased()
        guard let scenario = ScenarioName(rawValue: name) else {
            let valid = allCases.map(\.rawValue).joined(separator: ", ")
            throw GatewayError(.invalidConfig, "unknown scenario '\(text)'; use one of: \(valid)")
        }
        return scenario
    }

    /// When the person is in the room, in seconds from the start; nil if never.
    public func walkingInterval(seconds: Double) -> Range<Double>? {
        guard seconds > 0, seconds.isFinite else { return nil }
        switch self {
        case .empty: return nil
        case .walk, .fall, .sitDown, .lieDown, .still: return 0..<seconds
        case .emptyWalkEmpty: return (seconds / 3)..<(2 * seconds / 3)
        }
    }

    /// Ground truth for a run of `seconds`, in seconds from the start: `motion` while the person
    /// walks or changes posture, `presence` while they are there but still, and `fall` over a
    /// fall's movement.
    public func labels(seconds: Double) -> [GroundTruthInterval] {
        guard let interval = walkingInterval(seconds: seconds) else { return [] }
        if self == .still { return [GroundTruthInterval(kind: "presence", start: 0, end: seconds)] }
        guard let activity else {
            return [GroundTruthInterval(kind: "motion", start: interval.lowerBound, end: interval.upperBound)]
        }
        let start = Activity.start(seconds: seconds, duration: activity.duration)
        let end = min(seconds, start + activity.duration)
        var labels = [GroundTruthInterval(kind: "motion", start: 0, end: end)]
        if activity == .fall { labels.append(GroundTruthInterval(kind: "fall", start: start, end: end)) }
        if end < seconds { labels.append(GroundTruthInterval(kind: "presence", start: end, end: seconds)) }
        return labels
    }

    /// Whether the person comes in through the door and leaves again (rather than being there
    /// from the first frame to the last).
    public var entersAndLeaves: Bool { self == .emptyWalkEmpty }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
