import Foundation
import GatewayCore
import Synchronization

/// What the push loop last knew about the cloud, for `/v1/status` and `/readyz`: the size the
/// cloud holds, when it last answered, and the current outage if there is one.
public final class SyncState: Sendable {
    public struct Snapshot: Sendable, Equatable {
        /// Entries the cloud acknowledged; nil before its first answer.
        public var accepted: UInt64?
        /// Unix microseconds of the cloud's last answer.
        public var lastContact: Int64?
        /// Unix microseconds since when every attempt failed; nil while the cloud answers.
        public var failingSince: Int64?
        public var lastError: String?
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func contact(accepted: UInt64, now: Int64 = unixMicrosNow()) {
        state.withLock {
            $0.accepted = accepted
            $0.lastContact = now
            $0.failingSince = nil
            $0.lastError = nil
        }
    }

    func failure(_ message: String, now: Int64 = unixMicrosNow()) {
        state.withLock {
            if $0.failingSince == nil { $0.failingSince = now }
            $0.lastError = message
        }
    }
}
