import CloudSync
import Foundation
import GatewayApp
import GatewayCore
import Ledger
import Logging
import Store

/// The cloud side: a running `cloud-sync` (in this process, real HTTP on 127.0.0.1) takes a
/// gateway's whole backlog from `SyncPushService`, the daemon's own pusher. The time from start
/// to the cloud holding every entry is the drain time; entries / time is the verified ingest rate.
enum DrainBench {
    struct Figures {
        var entries: UInt64
        var seconds: Double
    }

    static func run(gatewayDatabase: String, signer: NoteSignerKey, directory: String, batchMaxEntries: Int) async throws -> Figures {
        let cloudPath = directory + "/bench-cloud-\(batchMaxEntries).sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cloudPath + suffix) }
        var logger = Logger(label: "ledger-bench")
        logger.logLevel = .warning
        var config = CloudSyncConfig(sqlitePath: cloudPath, gateways: [EnrolledGateway(origin: signer.name, verifierKey: signer.verifierKey)])
        config.listen.port = 0
        let cloud = try await buildCloudSync(config: config, logger: logger, signals: [])
        let store = try GatewayStore(path: gatewayDatabase)
        defer { try? store.close() }
        let total = try store.latestCheckpoint()?.size ?? 0
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cloud.run() }
            while cloud.port.port == nil { try await Task.sleep(for: .milliseconds(10)) }
            var sync = GatewayConfig.Sync()
            sync.mode = .push
            sync.url = "http://127.0.0.1:\(cloud.port.port ?? 0)"
            sync.batchMaxEntries = batchMaxEntries
            sync.pollIntervalMillis = 20
            let pusher = SyncPushService(store: store, settings: sync, origin: signer.name, logger: logger)
            let clock = ContinuousClock()
            let start = clock.now
            let task = Task { try await pusher.run() }
            while try await cloud.storage.state(origin: signer.name).size < total { try await Task.sleep(for: .milliseconds(20)) }
            let elapsed = clock.now - start
            task.cancel()
            _ = try? await task.value
            await cloud.shutdown()
            try await group.waitForAll()
            return Figures(entries: total, seconds: elapsed.seconds)
        }
    }
}
