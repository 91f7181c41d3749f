import AsyncHTTPClient
import NIOSSL
import Foundation
import GatewayCore
import Logging
import Metrics
import ServiceLifecycle
import Store

/// Pushes the signed log to the cloud sync service, in order, each entry once.
///
/// Loop: ask the cloud how much of the log it holds (its accepted checkpoint), send the entries
/// after that up to a signed checkpoint (`GatewayStore.pendingSyncBatch`, at most
/// `sync.batch_max_entries` unless a checkpoint is further), take the acknowledged size as the
/// new position, repeat; when nothing is pending, wait `poll_interval_ms`. The cloud decides what
/// it holds, so a restart of either side (or a lost acknowledgement) only costs one re-read:
/// batches are idempotent by (origin, first index).
///
/// After a failure it waits a random time between 0 and min(cap, initial x 2^failures) (full
/// jitter), re-reads the cloud's position, and resumes; memory is bounded by one batch.
public final class SyncPushService: Service, Sendable {
    private let store: GatewayStore
    private let settings: GatewayConfig.Sync
    private let origin: String
    private let logger: Logger
    private let lag = Gauge(label: "gateway_sync_lag_entries")
    private let batches = Counter(label: "gateway_sync_batches_total")
    private let entries = Counter(label: "gateway_sync_entries_total")
    /// The cloud's position and any outage, for the status API.
    public let state: SyncState

    /// For an https sync.url with a custom CA or a client certificate (`TLSFiles.client`).
    private let tls: TLSConfiguration?

    public init(store: GatewayStore, settings: GatewayConfig.Sync, origin: String, logger: Logger, state: SyncState = SyncState(),
                tls: TLSConfiguration? = nil) {
        self.state = state
        self.tls = tls
        self.store = store
        self.settings = settings
        self.origin = origin
        self.logger = logger
    }

    public func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let client = SyncClient(http: http, url: settings.url, origin: origin, timeoutMillis: settings.timeoutMillis)
        await cancelWhenGracefulShutdown {
            await self.loop(client)
        }
        try? await http.shutdown()
    }

    private func loop(_ client: SyncClient) async {
        var accepted: UInt64?
        var failures = 0
        var outage: ContinuousClock.Instant?
        while !Task.isCancelled {
            do {
                let position: UInt64
                if let accepted {
                    position = accepted
                } else {
                    position = try await client.acceptedCheckpoint().size
                    accepted = position
                    state.contact(accepted: position)
                }
                if let outage {
                    logger.notice("cloud sync service reachable again after \(ContinuousClock.now - outage); resuming at entry \(position)")
                }
                outage = nil
                failures = 0
                guard let batch = try store.pendingSyncBatch(after: position, maxEntries: settings.batchMaxEntries) else {
                    lag.record(Int64(try store.logSize() - min(position, try store.logSize())))
                    try await Task.sleep(for: .milliseconds(settings.pollIntervalMillis))
                    continue
                }
                let acknowledgement = try await client.push(batch)
                accepted = acknowledgement.size
                state.contact(accepted: acknowledgement.size)
                batches.increment()
                entries.increment(by: batch.entries.count)
                lag.record(Int64(batch.remaining))
                logger.debug("pushed entries \(batch.firstIndex)..<\(batch.size); the cloud holds \(acknowledgement.size)")
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                state.failure("\(error)")
                let failure = error as? SyncClient.Failure
                if failure?.needsResync ?? true { accepted = nil }
                if outage == nil {
                    outage = .now
                    logger.warning("sync push failed: \(error); retrying with backoff (at most \(settings.retryMaxMillis) ms apart)")
                } else {
                    logger.debug("sync push failed again (\(failures)): \(error)")
                }
                Counter(label: "gateway_sync_failures_total", dimensions: [("reason", Self.reason(of: failure))]).increment()
                let ceiling = min(Double(settings.retryMaxMillis), Double(settings.retryInitialMillis) * pow(2, Double(min(failures, 30))))
                do {
                    try await Task.sleep(for: .milliseconds(Int64(Double.random(in: 0...ceiling))))
                } catch {
                    return
                }
            }
        }
    }

    private static func reason(of failure: SyncClient.Failure?) -> String {
        switch failure {
        case .rejected(_, let code, _): code
        case .unreachable: "unreachable"
        case nil: "store"
        }
    }
}
