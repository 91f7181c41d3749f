import GatewayCore
import Synchronization

/// What a driver reports about its peer for metrics and `/v1/status`.
public struct MachineHealth: Sendable, Equatable, Codable {
    public var name: String
    public var protocolName: String
    public var connected = false
    /// Unix microseconds of the last successful read (or received line); nil before the first.
    public var lastSuccess: Int64?
    public var successes: UInt64 = 0
    /// Failures by reason (`timeout`, `connect`, `exception`, `malformed`, `wrong_transaction_id`, ...).
    public var errors: [String: UInt64] = [:]
    public var lastError: String?
    /// Round-trip time of the last successful request, and an exponential moving average.
    public var lastLatencySeconds: Double?
    public var meanLatencySeconds: Double?

    public init(name: String, protocolName: String) {
        self.name = name
        self.protocolName = protocolName
    }

    public var errorCount: UInt64 { errors.values.reduce(0, +) }
}

/// Thread-safe holder drivers update from their tasks and readers snapshot.
public final class MachineHealthRecorder: Sendable {
    private let state: Mutex<MachineHealth>

    public init(name: String, protocolName: String) {
        state = Mutex(MachineHealth(name: name, protocolName: protocolName))
    }

    public func snapshot() -> MachineHealth { state.withLock { $0 } }

    public func recordSuccess(at time: Int64, latencySeconds: Double? = nil) {
        state.withLock { health in
            health.connected = true
            health.lastSuccess = time
            health.successes += 1
            if let latency = latencySeconds {
                health.lastLatencySeconds = latency
                health.meanLatencySeconds = health.meanLatencySeconds.map { 0.9 * $0 + 0.1 * latency } ?? latency
            }
        }
    }

    public func recordError(_ reason: String, message: String) {
        state.withLock { health in
            health.errors[reason, default: 0] += 1
            health.lastError = message
        }
    }

    public func setConnected(_ connected: Bool) {
        state.withLock { $0.connected = connected }
    }
}
