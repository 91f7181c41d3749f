import Foundation
import GatewayAPI
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GatewayCore
import Ledger
import Simulation
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Pull sync with the real binaries on 127.0.0.1: `cloud-sync` fetches a gateway's batches from
/// its HTTP API and acknowledges them; the gateway is killed with SIGKILL mid-stream and
/// restarted; afterwards the cloud holds every entry once, in order, and the gateway has
/// recorded the cloud's acknowledgement of all of it.
@Suite(.serialized) struct PullSyncEndToEndTests {
    @Test func cloudPullsEverythingOnceAcrossAGatewayKill() async throws {
        let httpPort = BackgroundProcess.freePort()
        let udpPort = BackgroundProcess.freePort(udp: true)
        // The gateway's API wants a token; the cloud pulls with an operator one from a file.
        let token = APIToken.generate(name: "cloud", role: .operator)
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("pull-\(UUID().uuidString).token").path
        try (token.token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        let site = try SyncTestSite(origin: "gw.test/pull", gatewayOptions: """
            mode: pull, url: "http://127.0.0.1:\(httpPort)", token_file: \(tokenFile), interval_ms: 100, retry_initial_ms: 50, retry_max_ms: 300, timeout_ms: 300
            """)
        defer { site.remove() }
        let (dir, db, gatewayConfig, stateURL) = (site.dir, site.db, site.gatewayConfig, site.stateURL)
        try site.writeGatewayConfig("""
            udp: { host: 127.0.0.1, port: \(udpPort) }
            http: { host: 127.0.0.1, port: \(httpPort), tokens: [{name: cloud, role: operator, digest: "\(token.entry.digestText)"}] }
            store: { path: \(db), commit_interval_ms: 50 }
            detector: { calibration_seconds: 2 }
            ledger: { key_file: \(site.keyFile), checkpoint_every_entries: 5, checkpoint_every_seconds: 0.3 }
            sync: { mode: pull }
            """)

        func startGateway(_ name: String) async throws -> BackgroundProcess {
            let gateway = try BackgroundProcess(TestSupport.gatewayBinary, ["run", "--config", gatewayConfig], output: dir.appendingPathComponent(name))
            for _ in 0..<200 where await CloudProbe.request("http://127.0.0.1:\(httpPort)/healthz").0 != 200 { try await Task.sleep(for: .milliseconds(50)) }
            return gateway
        }

        var simulator = CSISimulator(scenario: .emptyWalkEmpty, seconds: 40, rate: 100, devices: 2, seed: 5, startTime: unixMicrosNow())
        let cloud = try site.startCloud()
        var gateway = try await startGateway("gateway-1.log")
        defer {
            gateway.stop(SIGKILL)
            cloud.stop(SIGKILL)
        }
        // Without the token nothing is served.
        #expect(await CloudProbe.request("http://127.0.0.1:\(httpPort)/v1/sync/batches?after=0").0 == 401)
        // The API refuses what it cannot serve, with a JSON error.
        let beyond = await CloudProbe.request("http://127.0.0.1:\(httpPort)/v1/sync/batches?after=999999", token: token.token)
        #expect(beyond.0 == 409 && beyond.1.contains("beyond_log"), "\(beyond)")
        let badAck = await CloudProbe.request("http://127.0.0.1:\(httpPort)/v1/sync/ack", method: "POST", body: #"{"size": 999999}"#, token: token.token)
        #expect(badAck.0 == 409 && badAck.1.contains("beyond_checkpoint"), "\(badAck)")
        let garbage = await CloudProbe.request("http://127.0.0.1:\(httpPort)/v1/sync/ack", method: "POST", body: "size=3", token: token.token)
        #expect(garbage.0 == 400, "\(garbage)")

        _ = try await sendSimulatedFrames(&simulator, toPort: udpPort, limit: 4000)
        for _ in 0..<100 where (await CloudProbe.get(stateURL, as: CloudProbe.State.self))?.size ?? 0 == 0 { try await Task.sleep(for: .milliseconds(100)) }
        let first = try #require(await CloudProbe.get(stateURL, as: CloudProbe.State.self))
        #expect(first.size > 0, "the cloud pulled nothing.\ncloud:\n\(cloud.log)\ngateway:\n\(gateway.log)")

        // Killed mid-stream: the cloud's pulls fail (logged once) until the gateway is back. (A refused
        // connection makes the HTTP client retry until the request times out, hence timeout_ms: 300.)
        _ = try await sendSimulatedFrames(&simulator, toPort: udpPort, limit: 1500)
        gateway.stop(SIGKILL)
        try await Task.sleep(for: .milliseconds(800))
        gateway = try await startGateway("gateway-2.log")
        _ = try await sendSimulatedFrames(&simulator, toPort: udpPort)

        let store = try GatewayStore(path: db)
        defer { try? store.close() }
        var agreed: CloudProbe.State?
        for _ in 0..<300 {
            if let state = await CloudProbe.get(stateURL, as: CloudProbe.State.self), let latest = try store.latestCheckpoint(),
               state.size == latest.size, latest.size == (try store.logSize()), state.checkpoint == latest.signedNote,
               try store.syncAcknowledgement(destination: "cloud")?.size == latest.size {
                agreed = state
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let final = try #require(agreed, "cloud and gateway never agreed.\ncloud:\n\(cloud.log)\ngateway:\n\(gateway.log)")
        #expect(final.size > first.size)
        #expect(cloud.log.contains("pull from gateway failed"), "the outage is logged:\n\(cloud.log)")
        #expect(cloud.log.contains("gateway reachable again"))
        // Nothing new: the gateway answers 204.
        #expect(await CloudProbe.request("http://127.0.0.1:\(httpPort)/v1/sync/batches?after=\(final.size)", token: token.token).0 == 204)
        // The cloud's copy is the gateway's, entry for entry.
        let listing = try #require(await CloudProbe.get(site.entriesURL, as: CloudProbe.Listing.self))
        #expect(listing.entries.map(\.index) == Array(0..<final.size))
        for entry in listing.entries {
            #expect(Data(base64Encoded: entry.bytes_base64).map { Array($0) } == (try store.logEntry(index: entry.index)))
        }
        gateway.stop(SIGTERM)
        cloud.stop(SIGTERM)
    }
}
