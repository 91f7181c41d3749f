import CloudSync
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import SensingProto

/// A cloud sync service on real storage, driven through its router: by default every scenario
/// runs twice, on an SQLite file in a temporary directory and on a fresh database of the test
/// PostgreSQL server (`PostgresTestServer`), so both storages pass the same checks.
struct CloudHarness {
    enum Kind: String, CaseIterable, Sendable {
        case sqlite, postgres
    }

    let kind: Kind
    let directory: URL
    let storage: any CloudStorage
    let mirror: LogMirror

    /// The SQLite storage, for tests of its own layout.
    var sqlite: SQLiteCloudStorage? { storage as? SQLiteCloudStorage }

    /// Runs `body` against a fresh service per storage kind that enrolls `gateways`, then
    /// removes its files.
    static func run(
        enrolling gateways: [GatewayLogFixture], limits: CloudSyncConfig.Limits = .init(), kinds: [Kind] = Kind.allCases,
        _ body: @Sendable (CloudHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        for kind in kinds {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let storage = try await makeStorage(kind, directory: directory)
            _ = try await storage.enroll(gateways.map { EnrolledGateway(origin: $0.origin, verifierKey: $0.key.verifierKey) })
            let harness = CloudHarness(kind: kind, directory: directory, storage: storage,
                                       mirror: LogMirror(storage: storage, limits: limits, logger: Logger(label: "cloud-sync-test")))
            let app = Application(router: CloudSyncRouter.build(mirror: harness.mirror))
            do {
                try await app.test(.router) { client in try await body(harness, client) }
            } catch {
                try? await storage.close()
                throw HarnessError(kind: kind, underlying: error)
            }
            try await storage.close()
        }
    }

    static func makeStorage(_ kind: Kind, directory: URL) async throws -> any CloudStorage {
        switch kind {
        case .sqlite:
            return try SQLiteCloudStorage(path: directory.appendingPathComponent("cloud.sqlite").path)
        case .postgres:
            return try await PostgresCloudStorage.open(settings: try postgresSettings(), logger: Logger(label: "cloud-sync-test"))
        }
    }

    /// Settings for a new, empty database on the test server.
    static func postgresSettings() throws -> PostgresSettings {
        let (server, database) = try PostgresTestServer.createDatabase()
        var settings = PostgresSettings()
        settings.port = server.port
        settings.database = database
        settings.tls = .disable
        return settings
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cloud-sync-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// What the cloud holds of `origin`: its state and every stored entry.
    func held(_ origin: String) async throws -> (state: GatewayLogState, entries: [StoredEntry]) {
        (try await mirror.state(origin: origin), try await mirror.entries(origin: origin, since: 0, limit: 1_000_000))
    }
}

/// A failure inside a harness run, naming the storage it happened on.
struct HarnessError: Error, CustomStringConvertible {
    let kind: CloudHarness.Kind
    let underlying: any Error
    var description: String { "on \(kind.rawValue) storage: \(underlying)" }
}

/// One HTTP answer of the service, decoded.
struct Reply {
    let status: HTTPResponse.Status
    let body: Data

    var state: GatewayLogState? { try? JSONDecoder().decode(GatewayLogState.self, from: body) }
    var error: String? { (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["error"] as? String }
    var message: String { (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["message"] as? String ?? "" }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Path segment encoding for origins ("/" becomes %2F).
func pathSegment(_ origin: String) -> String {
    origin.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? origin
}

extension TestClientProtocol {
    func push(_ batch: PbSyncBatch, to origin: String? = nil) async throws -> Reply {
        try await push(body: batch.serializedBytes(), to: origin ?? batch.origin)
    }

    func push(body: [UInt8], to origin: String, contentType: String = "application/x-protobuf") async throws -> Reply {
        try await execute(uri: "/v1/gateways/\(pathSegment(origin))/batches", method: .post,
                          headers: [.contentType: contentType], body: ByteBuffer(bytes: body)) { response in
            Reply(status: response.status, body: Data(response.body.readableBytesView))
        }
    }

    func get(_ uri: String) async throws -> Reply {
        try await execute(uri: uri, method: .get) { response in
            Reply(status: response.status, body: Data(response.body.readableBytesView))
        }
    }
}
