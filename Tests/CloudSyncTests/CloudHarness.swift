import CloudSync
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import SensingProto

/// A cloud sync service on a real SQLite file in a temporary directory, driven through its router.
struct CloudHarness {
    let directory: URL
    let storage: SQLiteCloudStorage
    let mirror: LogMirror<SQLiteCloudStorage>

    /// Runs `body` against a fresh service that enrolls `gateways`, then removes its files.
    static func run(
        enrolling gateways: [GatewayLogFixture], limits: CloudSyncConfig.Limits = .init(),
        _ body: @Sendable (CloudHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try SQLiteCloudStorage(path: directory.appendingPathComponent("cloud.sqlite").path)
        _ = try await storage.enroll(gateways.map { EnrolledGateway(origin: $0.origin, verifierKey: $0.key.verifierKey) })
        let harness = CloudHarness(directory: directory, storage: storage,
                                   mirror: LogMirror(storage: storage, limits: limits, logger: Logger(label: "cloud-sync-test")))
        let app = Application(router: CloudSyncRouter.build(mirror: harness.mirror))
        try await app.test(.router) { client in try await body(harness, client) }
        try await storage.close()
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
