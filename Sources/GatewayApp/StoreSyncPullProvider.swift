import GatewayAPI
import GatewayCore
import Metrics
import Store

/// Serves the signed log to a pulling cloud (`sync.mode: pull`) from the store.
struct StoreSyncPullProvider: SyncPullProvider {
    let store: GatewayStore
    let origin: String
    private let lag = Gauge(label: "gateway_sync_lag_entries")

    init(store: GatewayStore, origin: String) {
        self.store = store
        self.origin = origin
    }

    func batch(after: UInt64, maxEntries: Int) async throws -> [UInt8]? {
        let size = try store.logSize()
        guard after <= size else {
            throw APIError(status: 409, code: "beyond_log",
                                message: "after=\(after) is beyond this gateway's log (\(size) entries); ask from the size of your last accepted checkpoint")
        }
        return try store.pendingSyncBatch(after: after, maxEntries: maxEntries)?.protobuf(origin: origin)
    }

    func acknowledge(size: UInt64, destination: String) async throws -> UInt64 {
        let recorded: UInt64
        do {
            recorded = try store.acknowledgeSync(destination: destination, size: size)
        } catch let error as GatewayError where error.code == .malformedInput {
            throw APIError(status: 409, code: "beyond_checkpoint", message: error.message)
        }
        let total = try store.logSize()
        lag.record(Int64(total - min(total, recorded)))
        return recorded
    }
}
