import Foundation
import Ledger

/// Where an end-to-end sync test starts: a temporary directory holding the gateway's signing key
/// (mode 0600) and a `cloud-sync` config that enrolls it on a free port, plus the paths and URLs
/// the test then uses. `remove()` deletes the directory.
struct SyncTestSite {
    let dir: URL
    let origin: String
    let key: NoteSignerKey
    let keyFile: String
    let cloudPort: Int
    let cloudConfig: String
    let db: String
    let gatewayConfig: String
    let cloudBinary = TestSupport.gatewayBinary.deletingLastPathComponent().appendingPathComponent("cloud-sync")

    /// `gatewayOptions` is added to the gateway's item in the cloud's `gateways:` list (for
    /// example `mode: pull, url: ...`).
    init(origin: String, gatewayOptions: String = "") throws {
        dir = try TestSupport.temporaryDirectory()
        self.origin = origin
        key = try NoteSignerKey.generate(name: origin)
        keyFile = dir.appendingPathComponent("gateway.key").path
        FileManager.default.createFile(atPath: keyFile, contents: Data(key.text.utf8), attributes: [.posixPermissions: 0o600])
        cloudPort = BackgroundProcess.freePort()
        cloudConfig = dir.appendingPathComponent("cloud.yaml").path
        db = dir.appendingPathComponent("gw.sqlite").path
        gatewayConfig = dir.appendingPathComponent("gw.yaml").path
        let options = gatewayOptions.isEmpty ? "" : ", " + gatewayOptions
        try """
            listen: { host: 127.0.0.1, port: \(cloudPort) }
            storage: { sqlite: \(dir.appendingPathComponent("cloud.sqlite").path) }
            gateways:
              - { origin: "\(origin)", verifier_key: "\(key.verifierKey.text)"\(options) }
            """.write(toFile: cloudConfig, atomically: true, encoding: .utf8)
    }

    /// Writes the gateway's config (`gateway run --config`).
    func writeGatewayConfig(_ yaml: String) throws {
        try yaml.write(toFile: gatewayConfig, atomically: true, encoding: .utf8)
    }

    /// `GET /v1/gateways/{origin}/checkpoint` on the cloud.
    var stateURL: String { CloudProbe.gatewayURL(port: cloudPort, origin: origin, "checkpoint") }
    var entriesURL: String { CloudProbe.gatewayURL(port: cloudPort, origin: origin, "entries?since=0&limit=10000") }

    func startCloud(_ logName: String = "cloud.log") throws -> BackgroundProcess {
        try BackgroundProcess(cloudBinary, ["serve", "--config", cloudConfig], output: dir.appendingPathComponent(logName))
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}
