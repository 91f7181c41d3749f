import Chronos
import GatewayCore
import Synchronization

/// A TelemetrySink that keeps what it is given.
final class CollectingSink: TelemetrySink {
    private let samples = Mutex<[TelemetrySample]>([])

    func deliver(_ batch: [TelemetrySample]) async {
        samples.withLock { $0 += batch }
    }

    var all: [TelemetrySample] { samples.withLock { $0 } }

    func latest(_ point: String) -> TelemetrySample? { all.last { $0.point == point } }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// Counts polls per device (ModbusPollEvent) for the schedule tests.
final class PollCounter: Sendable {
    private let counts = Mutex<[String: (ok: Int, failed: Int)]>([:])

    func record(_ event: ModbusPollEvent) {
        counts.withLock { counts in
            var entry = counts[event.device] ?? (0, 0)
            if event.succeeded { entry.ok += 1 } else { entry.failed += 1 }
            counts[event.device] = entry
        }
    }

    func ok(_ device: String) -> Int { counts.withLock { $0[device]?.ok ?? 0 } }
    func failed(_ device: String) -> Int { counts.withLock { $0[device]?.failed ?? 0 } }
}

/// A counter callbacks can bump from any thread.
final class Count: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
