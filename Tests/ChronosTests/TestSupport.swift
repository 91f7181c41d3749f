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
