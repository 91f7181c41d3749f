import CloudSync
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Ledger
import Logging
import Testing

/// The service as `cloud-sync serve` runs it: built from a YAML config, listening on a real socket.
@Suite struct ServeTests {
    func request(_ url: String, method: String = "GET", body: Data? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue("application/x-protobuf", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @Test(arguments: CloudHarness.Kind.allCases)
    func aBatchRoundTripsOverARealSocketOnAFreePort(storage kind: CloudHarness.Kind) async throws {
        let directory = try CloudHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var gateway = try GatewayLogFixture(origin: "gw.test/socket")
        try gateway.append(25)
        let batch = try gateway.batch(from: 0, to: 25, previous: 0)
        let storage = switch kind {
        case .sqlite: "{sqlite: \(directory.appendingPathComponent("cloud.sqlite").path)}"
        case .postgres:
            try { () throws -> String in
                let settings = try CloudHarness.postgresSettings()
                return "{postgres: {host: 127.0.0.1, port: \(settings.port), user: \(settings.user), database: \(settings.database), tls: disable}}"
            }()
        }
        let config = try CloudSyncConfig.parse(yaml: """
            listen: {host: 127.0.0.1, port: 0}
            storage: \(storage)
            gateways:
              - origin: gw.test/socket
                verifier_key: "\(gateway.key.verifierKey.text)"
            limits: {max_entries: 1000, max_bytes: 1048576}
            """)
        let logs = LogCapture()
        let server = try await buildCloudSync(config: config, logger: logs.logger(), signals: [])

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            for _ in 0..<250 where server.port.port == nil { try await Task.sleep(for: .milliseconds(20)) }
            let port = try #require(server.port.port)
            #expect(port != 0)
            let base = "http://127.0.0.1:\(port)/v1/gateways/gw.test%2Fsocket"

            let (pushStatus, pushBody) = try await request("\(base)/batches", method: "POST", body: try batch.serializedBytes())
            #expect(pushStatus == 200, "\(String(decoding: pushBody, as: UTF8.self))")
            let pushed = try JSONDecoder().decode(GatewayLogState.self, from: pushBody)
            #expect(pushed == GatewayLogState(origin: "gw.test/socket", size: 25, checkpoint: batch.checkpoint))

            let (stateStatus, stateBody) = try await request("\(base)/checkpoint")
            #expect(stateStatus == 200)
            #expect(try JSONDecoder().decode(GatewayLogState.self, from: stateBody) == pushed)

            let (badStatus, badBody) = try await request("\(base)/batches", method: "POST", body: Data("not protobuf".utf8))
            #expect(badStatus == 400)
            #expect(String(decoding: badBody, as: UTF8.self).contains(#""error":"malformed_batch""#))

            let (unknownStatus, _) = try await request("http://127.0.0.1:\(port)/v1/gateways/nobody/checkpoint")
            #expect(unknownStatus == 404)

            await server.shutdown()
            try await group.waitForAll()
        }

        let lines = logs.all
        let listening = try #require(lines.first { $0.message == "listening" })
        #expect(listening.metadata["http.port"].flatMap(Int.init).map { $0 > 0 } == true)
        let accepted = try #require(lines.first { $0.message == "batch accepted" })
        #expect(accepted.metadata["gateway.origin"] == "gw.test/socket")
        #expect(accepted.metadata["batch.first_index"] == "0")
        #expect(accepted.metadata["batch.count"] == "25")
        #expect(accepted.metadata["log.size"] == "25")
        #expect(lines.contains { $0.message == "batch rejected" && $0.metadata["error.code"] == "malformed_batch" })

        // Accepted data survives a restart.
        let reopened: any CloudStorage = switch config.storage {
        case .sqlite(let path): try SQLiteCloudStorage(path: path)
        case .postgres(let settings): try await PostgresCloudStorage.open(settings: settings, logger: Logger(label: "test"))
        }
        let mirror = LogMirror(storage: reopened, limits: config.limits, logger: Logger(label: "test"))
        #expect(try await mirror.state(origin: "gw.test/socket").size == 25)
        try await reopened.close()
    }
}
