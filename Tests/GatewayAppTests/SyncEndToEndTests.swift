import Foundation
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

/// The end-to-end path on 127.0.0.1 with the real binaries: a gateway pushing to a
/// running `cloud-sync`; the cloud is stopped for a while and restarted; the gateway is killed
/// with SIGKILL mid-stream and restarted. Afterwards the cloud holds every entry exactly once, in
/// order, its checkpoint is the gateway's, and a proof of an event verifies.
@Suite(.serialized) struct SyncEndToEndTests {
    @Test func gatewayAndCloudSurviveRestartsAndAgree() async throws {
        let site = try SyncTestSite(origin: "gw.test/e2e")
        defer { site.remove() }
        let (dir, origin, key, db, gatewayConfig, stateURL) = (site.dir, site.origin, site.key, site.db, site.gatewayConfig, site.stateURL)
        let udpPort = BackgroundProcess.freePort(udp: true)
        try site.writeGatewayConfig("""
            udp: { host: 127.0.0.1, port: \(udpPort) }
            http: { enabled: false }
            store: { path: \(db), commit_interval_ms: 50 }
            detector: { calibration_seconds: 2 }
            ledger: { key_file: \(site.keyFile), checkpoint_every_entries: 5, checkpoint_every_seconds: 0.3 }
            sync: { mode: push, url: "http://127.0.0.1:\(site.cloudPort)", poll_interval_ms: 100, retry_initial_ms: 50, retry_max_ms: 300 }
            """)

        func startCloud(_ name: String) async throws -> BackgroundProcess {
            let cloud = try site.startCloud(name)
            for _ in 0..<200 where await CloudProbe.get(stateURL, as: CloudProbe.State.self) == nil { try await Task.sleep(for: .milliseconds(50)) }
            return cloud
        }
        func startGateway(_ name: String) async throws -> BackgroundProcess {
            let gateway = try BackgroundProcess(TestSupport.gatewayBinary, ["run", "--config", gatewayConfig], output: dir.appendingPathComponent(name))
            for _ in 0..<200 where !gateway.log.contains("signing checkpoints as") { try await Task.sleep(for: .milliseconds(50)) }
            try await Task.sleep(for: .milliseconds(300))
            return gateway
        }

        var simulator = CSISimulator(scenario: .emptyWalkEmpty, seconds: 45, rate: 100, devices: 2, seed: 11, startTime: unixMicrosNow())
        var cloud = try await startCloud("cloud-1.log")
        var gateway = try await startGateway("gateway-1.log")
        defer {
            gateway.stop(SIGKILL)
            cloud.stop(SIGKILL)
        }
        // 0-22 s of the scene: calibration, then the walk starts and events open.
        _ = try await sendSimulatedFrames(&simulator, toPort: udpPort, limit: 4400)
        for _ in 0..<100 where (await CloudProbe.get(stateURL, as: CloudProbe.State.self))?.size ?? 0 == 0 { try await Task.sleep(for: .milliseconds(100)) }
        let first = try #require(await CloudProbe.get(stateURL, as: CloudProbe.State.self), "cloud log:\n\(cloud.log)\ngateway log:\n\(gateway.log)")
        #expect(first.size > 0, "nothing reached the cloud:\n\(gateway.log)")

        // The cloud goes away while the walk ends (events close), then the gateway is killed.
        cloud.stop(SIGTERM)
        _ = try await sendSimulatedFrames(&simulator, toPort: udpPort, limit: 2800)
        try await Task.sleep(for: .seconds(1))
        gateway.stop(SIGKILL)
        let store = try GatewayStore(path: db)
        defer { try? store.close() }
        let loggedBeforeKill = try store.logSize()
        #expect(loggedBeforeKill > first.size, "entries logged during the outage")

        cloud = try await startCloud("cloud-2.log")
        gateway = try await startGateway("gateway-2.log")
        _ = try await sendSimulatedFrames(&simulator, toPort: udpPort)
        // Wait until the cloud holds what the gateway has signed, and nothing is left unsigned.
        var agreed: CloudProbe.State?
        for _ in 0..<300 {
            if let state = await CloudProbe.get(stateURL, as: CloudProbe.State.self), let latest = try store.latestCheckpoint(),
               state.size == latest.size, latest.size == (try store.logSize()), state.checkpoint == latest.signedNote {
                agreed = state
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let final = try #require(agreed, "cloud and gateway never agreed.\ncloud:\n\(cloud.log)\ngateway:\n\(gateway.log)")
        #expect(final.size >= loggedBeforeKill)

        // Every entry exactly once, in order, byte for byte.
        let listing = try #require(await CloudProbe.get(site.entriesURL, as: CloudProbe.Listing.self))
        #expect(listing.entries.map(\.index) == Array(0..<final.size))
        for entry in listing.entries {
            #expect(Data(base64Encoded: entry.bytes_base64).map { Array($0) } == (try store.logEntry(index: entry.index)))
        }
        // A proof of any event verifies offline against the key.
        let proof = try store.proof(index: final.size / 2)
        let verified = try TlogProof.verify(proof.formatted, verifierKeys: [key.verifierKey], origin: origin)
        #expect(verified.checkpoint.size == final.size)
        gateway.stop(SIGTERM)
        cloud.stop(SIGTERM)
    }
}
