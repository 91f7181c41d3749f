import Synchronization

/// Stop request and finish notice between an async task and the serial bus thread: the thread
/// polls `stopRequested` between requests; the task awaits `finished()` without blocking a
/// cooperative thread.
final class StopSignal: Sendable {
    private struct State {
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let stop = Atomic<Bool>(false)
    private let state = Mutex(State())

    var stopRequested: Bool { stop.load(ordering: .acquiring) }

    func requestStop() { stop.store(true, ordering: .releasing) }

    /// Called by the thread as its last act.
    func markFinished() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns once the thread has called `markFinished`.
    func finished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.finished { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}
