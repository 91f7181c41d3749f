import CloudSync
import Foundation
import Ledger
import Logging
import Testing

/// Start-up errors name the config key and say how to fix it.
@Suite struct ConfigTests {
    let keyA: NoteSignerKey
    let keyB: NoteSignerKey

    init() throws {
        keyA = try NoteSignerKey.generate(name: "gw-a")
        keyB = try NoteSignerKey.generate(name: "gw-b")
    }

    func message(_ yaml: String) -> String {
        do {
            _ = try CloudSyncConfig.parse(yaml: yaml, source: "cloud.yaml")
            return "(parsed)"
        } catch let error as CloudSyncError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func theExampleConfigParses() throws {
        let config = try CloudSyncConfig.parse(yaml: """
            listen: {host: 0.0.0.0, port: 9443}
            storage: {sqlite: /var/lib/cloud-sync/cloud.sqlite}
            gateways:
              - {origin: gw-a, verifier_key: "\(keyA.verifierKey.text)"}
              - origin: gw-b
                verifier_key: \(keyB.verifierKey.text)
            limits: {max_entries: 1000, max_bytes: 1048576}
            """)
        #expect(config.listen.host == "0.0.0.0")
        #expect(config.listen.port == 9443)
        #expect(config.sqlitePath == "/var/lib/cloud-sync/cloud.sqlite")
        #expect(config.gateways == [EnrolledGateway(origin: "gw-a", verifierKey: keyA.verifierKey),
                                    EnrolledGateway(origin: "gw-b", verifierKey: keyB.verifierKey)])
        #expect(config.limits.maxEntries == 1000)
        #expect(config.limits.maxBytes == 1_048_576)

        let defaults = try CloudSyncConfig.parse(yaml: "storage: {sqlite: cloud.sqlite}")
        #expect(defaults.listen.port == 8443)
        #expect(defaults.limits.maxEntries == 50_000)
        #expect(defaults.limits.maxBytes == 67_108_864)
    }

    @Test func aBadVerifierKeyNamesItsKey() {
        let text = message("""
            storage: {sqlite: cloud.sqlite}
            gateways:
              - {origin: gw-a, verifier_key: "gw-a+00000000+notbase64"}
            """)
        #expect(text.contains("gateways[0].verifier_key"), "\(text)")
        #expect(text.contains("name+hash+base64"), "\(text)")

        let secret = message("""
            storage: {sqlite: cloud.sqlite}
            gateways:
              - {origin: gw-a, verifier_key: "\(keyA.text)"}
            """)
        #expect(secret.contains("gateways[0].verifier_key"), "\(secret)")
    }

    @Test func aDuplicateOriginNamesBothItems() {
        let text = message("""
            storage: {sqlite: cloud.sqlite}
            gateways:
              - {origin: gw-a, verifier_key: "\(keyA.verifierKey.text)"}
              - {origin: gw-a, verifier_key: "\(keyB.verifierKey.text)"}
            """)
        #expect(text.contains("gateways[1].origin"), "\(text)")
        #expect(text.contains("gateways[0]"), "\(text)")
    }

    @Test func missingOrUnknownKeysAreNamed() {
        #expect(message("listen: {port: 1}").contains("storage.sqlite"))
        #expect(message("storage: {sqlite: x.sqlite}\nlisten: {prot: 1}").contains("listen.prot"))
        #expect(message("storage: {sqlite: x.sqlite}\nlimit: {}").contains("limit"))
        #expect(message("storage: {sqlite: x.sqlite}\nlisten: {port: 70000}").contains("listen.port"))
        #expect(message("storage: {sqlite: x.sqlite}\nlimits: {max_entries: many}").contains("limits.max_entries"))
    }

    @Test func postgresStorageIsParsedAndChecked() throws {
        let config = try CloudSyncConfig.parse(yaml: """
            storage:
              postgres: {host: db.internal, port: 6432, user: mirror, database: mirror, password_file: /etc/cloud-sync/pg, tls: require}
            """)
        var expected = PostgresSettings()
        expected.host = "db.internal"
        expected.port = 6432
        expected.user = "mirror"
        expected.database = "mirror"
        expected.passwordFile = "/etc/cloud-sync/pg"
        expected.tls = .require
        #expect(config.storage == .postgres(expected))
        #expect(config.storageDescription == "postgres://mirror@db.internal:6432/mirror")
        #expect(config.sqlitePath == nil)
        #expect(message("storage: {postgres: {tls: maybe}}").contains("storage.postgres.tls 'maybe' is not a mode"))
        #expect(message("storage: {postgres: {passwd: x}}").contains("storage.postgres.passwd"))
        #expect(message("storage: {sqlite: a.sqlite, postgres: {}}").contains("names both sqlite and postgres"))
        #expect(message("storage: {postgres: {user: ''}}").contains("storage.postgres.user is empty"))
    }

    @Test func pullTokensComeFromAFileThatMustBeReadable() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString).token").path
        try "sgw_abc123\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let config = try CloudSyncConfig.parse(yaml: """
            storage: {sqlite: cloud.sqlite}
            gateways:
              - {origin: gw-b, verifier_key: "\(keyB.verifierKey.text)", mode: pull, url: "http://10.0.0.5:8080", token_file: \(file)}
            """)
        #expect(config.pulls.first?.token == "sgw_abc123")
        let missing = message("""
            storage: {sqlite: cloud.sqlite}
            gateways:
              - {origin: gw-b, verifier_key: "\(keyB.verifierKey.text)", mode: pull, url: "http://x:1", token_file: /nonexistent/t}
            """)
        #expect(missing.contains("gateways[0].token_file") && missing.contains("cannot be read"), "\(missing)")
        #expect(!missing.contains("sgw_"))
    }

    @Test func pullGatewaysNeedAURLAndPushGatewaysTakeNoPullKeys() throws {
        let config = try CloudSyncConfig.parse(yaml: """
            storage: {sqlite: cloud.sqlite}
            gateways:
              - {origin: gw-a, verifier_key: "\(keyA.verifierKey.text)"}
              - {origin: gw-b, verifier_key: "\(keyB.verifierKey.text)", mode: pull, url: "http://10.0.0.5:8080", interval_ms: 250}
            """)
        #expect(config.gateways.count == 2, "pulled gateways are enrolled like pushing ones")
        #expect(config.pulls.map(\.origin) == ["gw-b"])
        #expect(config.pulls.first?.url == "http://10.0.0.5:8080")
        #expect(config.pulls.first?.intervalMillis == 250)
        #expect(config.pulls.first?.batchMaxEntries == 10_000)

        let noURL = message("""
            storage: {sqlite: cloud.sqlite}
            gateways:
              - {origin: gw-a, verifier_key: "\(keyA.verifierKey.text)", mode: pull}
            """)
        #expect(noURL.contains("gateways[0].url") && noURL.contains("mode: pull"), "\(noURL)")
        let stray = message("""
            storage: {sqlite: cloud.sqlite}
            gateways:
              - {origin: gw-a, verifier_key: "\(keyA.verifierKey.text)", url: "http://x:1"}
            """)
        #expect(stray.contains("gateways[0].url applies only to mode: pull"), "\(stray)")
        let badMode = message("""
            storage: {sqlite: cloud.sqlite}
            gateways:
              - {origin: gw-a, verifier_key: "\(keyA.verifierKey.text)", mode: poll}
            """)
        #expect(badMode.contains("gateways[0].mode") && badMode.contains("push") && badMode.contains("pull"), "\(badMode)")
    }

    @Test func anUnusableDatabasePathFailsStartUpNamingTheKey() async throws {
        let config = CloudSyncConfig(sqlitePath: "/nonexistent-\(UUID().uuidString)/cloud.sqlite", gateways: [])
        do {
            _ = try await buildCloudSync(config: config, logger: Logger(label: "test"), signals: [])
            Issue.record("start-up succeeded with a database in a missing directory")
        } catch let error as CloudSyncError {
            #expect(error.message.contains("storage.sqlite"), "\(error.message)")
            #expect(error.message.contains("mkdir -p"), "\(error.message)")
        }
    }

    @Test func reEnrollingUpdatesKeysAndRevokesOriginsNoLongerListed() async throws {
        let directory = try CloudHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try SQLiteCloudStorage(path: directory.appendingPathComponent("cloud.sqlite").path)
        let rotated = try NoteSignerKey.generate(name: "gw-a")
        let first = try await storage.enroll([EnrolledGateway(origin: "gw-a", verifierKey: keyA.verifierKey),
                                              EnrolledGateway(origin: "gw-b", verifierKey: keyB.verifierKey)])
        #expect(first.added == ["gw-a", "gw-b"])
        let second = try await storage.enroll([EnrolledGateway(origin: "gw-a", verifierKey: rotated.verifierKey)])
        #expect(second.keyChanged == ["gw-a"])
        #expect(second.removed == ["gw-b"])
        let mirror = LogMirror(storage: storage, limits: .init(), logger: Logger(label: "test"))
        #expect(try await mirror.state(origin: "gw-a").size == 0)
        await #expect(throws: CloudSyncError.self) { try await mirror.state(origin: "gw-b") }
        try await storage.close()
    }
}
