import CloudSync
import Foundation
import Ledger
import Logging
import SensingProto
import Testing

/// PostgreSQL as production runs it: several `cloud-sync` replicas on one database. Replicas
/// receiving the same batches at the same time store each entry once (the origin's row lock
/// serialises them; the loser sees a retry of held entries), and a database that cannot be
/// reached fails start-up with a message naming it.
@Suite struct PostgresReplicaTests {
    @Test func replicasSharingADatabaseStoreEachEntryOnce() async throws {
        var gateway = try GatewayLogFixture(origin: "gw-replicas")
        var batches: [PbSyncBatch] = []
        var size = 0
        for count in [5, 1, 17, 3, 64, 2, 9] {
            try gateway.append(count)
            batches.append(try gateway.batch(from: size, to: size + count, previous: size))
            size += count
        }
        let settings = try CloudHarness.postgresSettings()
        let logger = Logger(label: "cloud-sync-test")
        let replicas = [
            try await PostgresCloudStorage.open(settings: settings, logger: logger),
            try await PostgresCloudStorage.open(settings: settings, logger: logger),
            try await PostgresCloudStorage.open(settings: settings, logger: logger),
        ]
        _ = try await replicas[0].enroll([EnrolledGateway(origin: gateway.origin, verifierKey: gateway.key.verifierKey)])
        let submissions = try batches.map { try SyncBatchSubmission($0, pathOrigin: gateway.origin, limits: .init()) }
        // Every replica gets every batch, in order, all at once (as retries after a lost answer do).
        let outcomes = try await withThrowingTaskGroup(of: [BatchVerifier.Outcome].self) { group in
            for replica in replicas {
                group.addTask {
                    var outcomes: [BatchVerifier.Outcome] = []
                    for submission in submissions {
                        // A replica may run ahead of the others' commits: a gap is a refusal to
                        // retry later, as a pushing gateway would.
                        while true {
                            do {
                                outcomes.append(try await replica.ingest(submission, now: 1))
                                break
                            } catch let error as CloudSyncError where error.code == .gap {
                                try await Task.sleep(for: .milliseconds(5))
                            }
                        }
                    }
                    return outcomes
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let appended = outcomes.filter { if case .appended = $0 { true } else { false } }
        #expect(appended.count == batches.count, "each batch is appended by exactly one replica")
        #expect(outcomes.count == batches.count * replicas.count)
        let state = try await replicas[1].state(origin: gateway.origin)
        #expect(state.size == UInt64(size))
        #expect(try Checkpoint.open(state.checkpoint, verifierKeys: [gateway.key.verifierKey]).rootHash == (try gateway.tree.rootHash()))
        let stored = try await replicas[2].entries(origin: gateway.origin, from: 0, limit: 10_000)
        #expect(stored.map(\.index) == Array(0..<UInt64(size)))
        #expect(stored.map(\.bytes) == gateway.entries)
        for replica in replicas { try await replica.close() }
    }

    @Test func anUnreachableDatabaseNamesItselfAndTheFix() async throws {
        var settings = try CloudHarness.postgresSettings()
        settings.port = 1  // nothing listens on port 1
        do {
            _ = try await PostgresCloudStorage.open(settings: settings, logger: Logger(label: "cloud-sync-test"), connectTimeout: .seconds(3))
            Issue.record("opened a database on port 1")
        } catch let error as CloudSyncError {
            #expect(error.message.contains("postgres://cloud_sync@127.0.0.1:1/"), "\(error.message)")
            #expect(error.message.contains("check that PostgreSQL runs there"), "\(error.message)")
        }
    }
}
