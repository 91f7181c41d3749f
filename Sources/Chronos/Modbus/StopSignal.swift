import Synchronization

/// Stop request and finish notice between an async task and a thread.
final class StopSignal: Sendable {
    private let stop = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    var stopRequested: Bool { stop.load(ordering: .acquiring) }
    var isFinished: Bool { finished.load(ordering: .acquiring) }
    func requestStop() { stop.store(true, ordering: .releasing) }
    func markFinished() { finished.store(true, ordering: .releasing) }
}
