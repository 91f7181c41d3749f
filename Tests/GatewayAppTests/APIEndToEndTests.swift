import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GatewayAPI
import GatewayApp
import GatewayCore
import Ledger
import Logging
import Prometheus
import Simulation
import Store
import Testing

/// The HTTP API of a real daemon on 127.0.0.1, fed simulated frames over UDP: every read route
/// with real stored data, bearer tokens and roles, and proofs that verify offline.
@Suite struct APIEndToEndTests {
    struct Reply {
        var status: Int
        var body: String
        var headers: [AnyHashable: Any]
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
    }

    static func request(_ url: String, token: String?, method: String = "GET", body: String? = nil) async throws -> Reply {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return Reply(status: http?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self), headers: http?.allHeaderFields ?? [:])
    }

    @Test func readRoutesServeTheStoreToTokensOnly() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let read = APIToken.generate(name: "grafana", role: .read)
        let op = APIToken.generate(name: "site-tech", role: .operator)
        var config = GatewayConfig()
        config.udp.host = "127.0.0.1"
        config.udp.port = 0
        config.http.port = 0
        config.http.tokens = [read.entry, op.entry]
        config.store.path = dir.appendingPathComponent("gw.sqlite").path
        config.detector.calibrationSeconds = 4
        config.sync.mode = .pull
        let key = try NoteSignerKey.generate(name: "gw.test/api")
        config.ledger.keyFile = dir.appendingPathComponent("gateway.key").path
        _ = FileManager.default.createFile(atPath: config.ledger.keyFile, contents: Data(key.text.utf8), attributes: [.posixPermissions: 0o600])
        config.ledger.checkpointEveryEntries = 4
        let services = try await buildGateway(config: config, registry: PrometheusCollectorRegistry(), logger: Logger(label: "test"), signals: [])
        let udpPort = try #require(services.udp?.port)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var simulator = CSISimulator(scenario: .emptyWalkEmpty, seconds: 15, rate: 100, devices: 2, seed: 7, startTime: unixMicrosNow())
            let sent = try await sendSimulatedFrames(&simulator, toPort: udpPort)
            for _ in 0..<500 where services.udpCounters.snapshot.received < sent { try await Task.sleep(for: .milliseconds(10)) }
            for _ in 0..<100 where services.httpPort.port == nil { try await Task.sleep(for: .milliseconds(20)) }
            let base = "http://127.0.0.1:\(try #require(services.httpPort.port))"
            // Events reach the store through the writer; wait for a motion event and a checkpoint.
            for _ in 0..<300 {
                let events = try await Self.request("\(base)/v1/events?kind=motion", token: read.token)
                if (events.json as? [Any])?.isEmpty == false, try services.store.latestCheckpoint() != nil { break }
                try await Task.sleep(for: .milliseconds(20))
            }

            // Open route; everything else needs a token, and a wrong one is refused.
            #expect(try await Self.request("\(base)/healthz", token: nil).status == 200)
            let anonymous = try await Self.request("\(base)/v1/status", token: nil)
            #expect(anonymous.status == 401)
            #expect(try await Self.request("\(base)/v1/status", token: "sgw_not-a-token").status == 401)
            #expect(try await Self.request("\(base)/metrics", token: nil).status == 401)

            let status = try await Self.request("\(base)/v1/status", token: read.token)
            #expect(status.status == 200)
            let object = try #require(status.json as? [String: Any])
            let sources = try #require(object["sources"] as? [[String: Any]])
            #expect(sources.first?["source"] as? String == "udp")
            #expect(sources.first?["received"] as? Int == sent)
            #expect((object["log"] as? [String: Any])?["size"] as? Int ?? 0 > 0)
            #expect((object["sync"] as? [String: Any])?["mode"] as? String == "pull")
            #expect(object["version"] as? String == GatewayInfo.version)

            let devices = try #require(try await Self.request("\(base)/v1/devices", token: read.token).json as? [[String: Any]])
            #expect(devices.map { $0["device"] as? String } == ["sim-01", "sim-02"])
            for device in devices {
                let rate = device["rate_hz"] as? Double ?? 0
                #expect(rate > 50 && rate < 150, "rate \(rate)")
                #expect(["empty", "present", "moving"].contains(device["state"] as? String ?? ""), "\(device)")
                #expect((device["calibration"] as? [String: Any])?["verdict"] as? String == "good")
            }

            let motion = try #require(try await Self.request("\(base)/v1/events?kind=motion&device=sim-01", token: read.token).json as? [[String: Any]])
            #expect(!motion.isEmpty)
            #expect(motion.allSatisfy { $0["kind"] as? String == "motion" && $0["device"] as? String == "sim-01" })
            let start = try #require(motion.first?["start_us"] as? Int)
            let later = try #require(try await Self.request("\(base)/v1/events?since=\(start + 1)", token: read.token).json as? [[String: Any]])
            #expect(later.allSatisfy { ($0["start_us"] as? Int ?? 0) > start })
            let bad = try await Self.request("\(base)/v1/events?since=yesterday", token: read.token)
            #expect(bad.status == 400)
            #expect(bad.body.contains("since=yesterday"))
            #expect(try await Self.request("\(base)/v1/telemetry?source=none", token: read.token).body == "[]")

            // The checkpoint and a proof verify with the gateway's key, offline.
            let note = try await Self.request("\(base)/v1/checkpoint", token: read.token)
            #expect(note.status == 200)
            let checkpoint = try Checkpoint.open(note.body, verifierKeys: [key.verifierKey], origin: "gw.test/api")
            let proof = try await Self.request("\(base)/v1/proofs/0", token: read.token)
            #expect(proof.status == 200)
            let verified = try TlogProof.verify(proof.body, verifierKeys: [key.verifierKey], origin: "gw.test/api")
            #expect(verified.index == 0 && verified.checkpoint.size >= 1)
            #expect(try await Self.request("\(base)/v1/proofs/\(checkpoint.size + 1_000_000)", token: read.token).status == 404)
            #expect(try await Self.request("\(base)/v1/proofs/first", token: read.token).status == 400)

            let ready = try await Self.request("\(base)/readyz", token: read.token)
            #expect(ready.status == 200, "\(ready.body)")
            #expect(try await Self.request("\(base)/metrics", token: read.token).status == 200)

            // Roles: a read token may not acknowledge; an operator token may.
            let ack = #"{"size": 1}"#
            let refused = try await Self.request("\(base)/v1/sync/ack", token: read.token, method: "POST", body: ack)
            #expect(refused.status == 403)
            #expect(refused.body.contains("needs role operator"))
            #expect(try await Self.request("\(base)/v1/sync/ack", token: op.token, method: "POST", body: ack).status == 200)

            await services.shutdown()
            try await group.waitForAll()
        }
    }
}
