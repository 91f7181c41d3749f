import Chronos
import Foundation
import GatewayCore
import Logging
import Synchronization

/// A sink that keeps everything delivered.
final class CollectingSink: TelemetrySink {
    private let samples = Mutex<[TelemetrySample]>([])

    func deliver(_ batch: [TelemetrySample]) async {
        samples.withLock { $0 += batch }
    }

    var all: [TelemetrySample] { samples.withLock { $0 } }

    func points(_ point: String) -> [TelemetrySample] { all.filter { $0.point == point } }

    func latest(_ point: String) -> TelemetrySample? { all.last { $0.point == point } }
}

/// Polls `condition` every 10 ms for at most `seconds`; returns whether it became true.
@discardableResult
func waitFor(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return true
}

let quietLogger: Logger = {
    var logger = Logger(label: "chronos-test")
    logger.logLevel = .warning
    return logger
}()

/// Polls `condition` every 10 ms until it holds or `seconds` pass.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    await waitFor(seconds, condition)
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
