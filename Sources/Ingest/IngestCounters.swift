import Metrics
import Synchronization

/// Counts what one source saw. Atomic so the HTTP status and the replay summary can read it
/// while the source writes; every increment also feeds the swift-metrics counter of the same
/// name with a `source` dimension.
public final class IngestCounters: Sendable {
    public let source: String
    let received = Atomic<Int>(0)
    let accepted = Atomic<Int>(0)
    let malformed = Atomic<Int>(0)
    let duplicates = Atomic<Int>(0)
    let lost = Atomic<Int>(0)
    let restarts = Atomic<Int>(0)
    let dropped = Atomic<Int>(0)

    private let receivedMetric: Counter
    private let acceptedMetric: Counter
    private let malformedMetric: Counter
    private let duplicateMetric: Counter
    private let lostMetric: Counter
    private let droppedMetric: Counter

    public init(source: String) {
        self.source = source
        let dims = [("source", source)]
        receivedMetric = Counter(label: "gateway_ingest_received_total", dimensions: dims)
        acceptedMetric = Counter(label: "gateway_ingest_frames_total", dimensions: dims)
        malformedMetric = Counter(label: "gateway_ingest_malformed_total", dimensions: dims)
        duplicateMetric = Counter(label: "gateway_ingest_duplicates_total", dimensions: dims)
        lostMetric = Counter(label: "gateway_ingest_lost_frames_total", dimensions: dims)
        droppedMetric = Counter(label: "gateway_ingest_dropped_total", dimensions: dims)
    }

    public struct Snapshot: Sendable, Equatable, Codable {
        /// Datagrams, messages, lines or records read.
        public var received = 0
        /// Frames that passed validation and went on to the pipeline.
        public var accepted = 0
        public var malformed = 0
        public var duplicates = 0
        /// Frames the sequence numbers say never arrived.
        public var lost = 0
        public var restarts = 0
        /// Valid frames dropped because a queue was full (overload).
        public var dropped = 0

        public init(received: Int = 0, accepted: Int = 0, malformed: Int = 0, duplicates: Int = 0,
                    lost: Int = 0, restarts: Int = 0, dropped: Int = 0) {
            self.received = received
            self.accepted = accepted
            self.malformed = malformed
            self.duplicates = duplicates
            self.lost = lost
            self.restarts = restarts
            self.dropped = dropped
        }
    }

    public var snapshot: Snapshot {
        Snapshot(
            received: received.load(ordering: .relaxed), accepted: accepted.load(ordering: .relaxed),
            malformed: malformed.load(ordering: .relaxed), duplicates: duplicates.load(ordering: .relaxed),
            lost: lost.load(ordering: .relaxed), restarts: restarts.load(ordering: .relaxed),
            dropped: dropped.load(ordering: .relaxed))
    }

    public func countReceived(_ n: Int = 1) { received.add(n, ordering: .relaxed); receivedMetric.increment(by: n) }
    public func countAccepted(_ n: Int = 1) { accepted.add(n, ordering: .relaxed); acceptedMetric.increment(by: n) }
    public func countMalformed(_ n: Int = 1) { malformed.add(n, ordering: .relaxed); malformedMetric.increment(by: n) }
    public func countDuplicate(_ n: Int = 1) { duplicates.add(n, ordering: .relaxed); duplicateMetric.increment(by: n) }
    public func countLost(_ n: Int) {
        guard n > 0 else { return }
        lost.add(n, ordering: .relaxed)
        lostMetric.increment(by: n)
    }
    public func countRestart() { restarts.add(1, ordering: .relaxed) }
    public func countDropped(_ n: Int = 1) { dropped.add(n, ordering: .relaxed); droppedMetric.increment(by: n) }
}

extension IngestCounters.Snapshot {
    /// Adds another source's counts (totals over several files or sources).
    public mutating func add(_ other: IngestCounters.Snapshot) {
        received += other.received
        accepted += other.accepted
        malformed += other.malformed
        duplicates += other.duplicates
        lost += other.lost
        restarts += other.restarts
        dropped += other.dropped
    }
}
