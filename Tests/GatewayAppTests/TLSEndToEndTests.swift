import AsyncHTTPClient
import Foundation
import GatewayAPI
import GatewayApp
import GatewayCore
import Ledger
import Logging
import NIOCore
import NIOSSL
import Prometheus
import Simulation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// TLS with real certificates made by openssl in the test: the gateway's API over HTTPS (and
/// mutual TLS), pushing to a real `cloud-sync` that requires the gateway's client certificate,
/// and the start-up errors for certificate files that are missing or are not certificates.
@Suite(.serialized) struct TLSEndToEndTests {
    /// GET over HTTPS trusting only `ca`, optionally with a client certificate; the status, or
    /// the error's description when the connection or handshake failed.
    static func get(_ url: String, ca: String?, certificate: String? = nil, key: String? = nil,
                    token: String? = nil) async -> Result<(Int, String), Error> {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca)) }
            if let certificate, let key {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
        } catch {
            return .failure(error)
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(3), read: .seconds(3))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let result: Result<(Int, String), Error>
        do {
            let response = try await client.execute(request, timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            result = .success((Int(response.status.code), String(buffer: body)))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        return result
    }

    static func status(_ result: Result<(Int, String), Error>) -> Int {
        (try? result.get().0) ?? 0
    }

    @Test func theAPIServesHTTPSAndCanRequireClientCertificates() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pki = try TestCertificates(in: dir)
        let token = APIToken.generate(name: "ops", role: .read)
        for mutual in [false, true] {
            var config = GatewayConfig()
            config.udp.enabled = false
            config.http.port = 0
            config.http.tokens = [token.entry]
            config.http.tlsCertificateFile = pki.serverCertificate
            config.http.tlsKeyFile = pki.serverKey
            config.http.tlsClientCAFile = mutual ? pki.caCertificate : nil
            config.store.path = dir.appendingPathComponent("gw-\(mutual).sqlite").path
            let services = try await buildGateway(config: config, registry: PrometheusCollectorRegistry(), logger: Logger(label: "test"), signals: [])
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await services.run() }
                for _ in 0..<100 where services.httpPort.port == nil { try await Task.sleep(for: .milliseconds(20)) }
                let port = try #require(services.httpPort.port)
                let https = "https://127.0.0.1:\(port)"
                if mutual {
                    // No client certificate, or one from another CA: the handshake fails.
                    #expect(Self.status(await Self.get("\(https)/healthz", ca: pki.caCertificate)) == 0)
                    let withCert = await Self.get("\(https)/v1/status", ca: pki.caCertificate, certificate: pki.clientCertificate,
                                                  key: pki.clientKey, token: token.token)
                    #expect(Self.status(withCert) == 200, "\(withCert)")
                } else {
                    #expect(Self.status(await Self.get("\(https)/healthz", ca: pki.caCertificate)) == 200)
                    #expect(Self.status(await Self.get("\(https)/v1/status", ca: pki.caCertificate, token: token.token)) == 200)
                    #expect(Self.status(await Self.get("\(https)/v1/status", ca: pki.caCertificate)) == 401)
                    // A client that does not trust the test CA refuses the server's certificate.
                    #expect(Self.status(await Self.get("\(https)/healthz", ca: pki.otherCACertificate)) == 0)
                    // Plain HTTP to the HTTPS port gets no HTTP answer.
                    let plain = await Self.get("http://127.0.0.1:\(port)/healthz", ca: nil)
                    #expect(Self.status(plain) != 200)
                }
                await services.shutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test func badCertificateFilesStopStartUpNamingTheKey() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pki = try TestCertificates(in: dir)
        let garbage = dir.appendingPathComponent("garbage.pem").path
        try "not a certificate\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        let cases: [(String?, String?, String)] = [
            (dir.appendingPathComponent("missing.pem").path, pki.serverKey, "http.tls_certificate_file: '\(dir.appendingPathComponent("missing.pem").path)' does not exist"),
            (garbage, pki.serverKey, "http.tls_certificate_file: '\(garbage)' holds no PEM certificate"),
            (pki.serverCertificate, garbage, "http.tls_key_file: '\(garbage)' holds no PEM private key"),
        ]
        for (certificate, key, expected) in cases {
            var config = GatewayConfig()
            config.udp.enabled = false
            config.http.port = 0
            config.http.tlsCertificateFile = certificate
            config.http.tlsKeyFile = key
            config.store.path = dir.appendingPathComponent("gw.sqlite").path
            do {
                let services = try await buildGateway(config: config, registry: PrometheusCollectorRegistry(), logger: Logger(label: "test"), signals: [])
                try services.store.close()
                Issue.record("started with \(certificate ?? "-") / \(key ?? "-")")
            } catch let error as GatewayError {
                #expect(error.message.contains(expected), "\(error.message)")
                #expect(!error.message.contains("not a certificate"), "the file's contents must not be echoed")
            }
        }
        let both = #expect(throws: GatewayError.self) {
            try ConfigLoader.parse(yaml: "http: {tls_certificate_file: a.pem}", source: "gw.yaml")
        }
        #expect(both?.message.contains("http.tls_certificate_file and http.tls_key_file go together") == true)
    }

    @Test func theGatewayPushesToACloudThatRequiresItsCertificate() async throws {
        let site = try SyncTestSite(origin: "gw.test/tls")
        defer { site.remove() }
        let pki = try TestCertificates(in: site.dir)
        let udpPort = BackgroundProcess.freePort(udp: true)
        try """
            listen: { host: 127.0.0.1, port: \(site.cloudPort), tls_certificate_file: \(pki.serverCertificate), tls_key_file: \(pki.serverKey), tls_client_ca_file: \(pki.caCertificate) }
            storage: { sqlite: \(site.dir.appendingPathComponent("cloud.sqlite").path) }
            gateways:
              - { origin: "\(site.origin)", verifier_key: "\(site.key.verifierKey.text)" }
            """.write(toFile: site.cloudConfig, atomically: true, encoding: .utf8)
        try site.writeGatewayConfig("""
            udp: { host: 127.0.0.1, port: \(udpPort) }
            http: { enabled: false }
            store: { path: \(site.db), commit_interval_ms: 50 }
            detector: { calibration_seconds: 2 }
            ledger: { key_file: \(site.keyFile), checkpoint_every_entries: 5, checkpoint_every_seconds: 0.3 }
            sync: { mode: push, url: "https://127.0.0.1:\(site.cloudPort)", poll_interval_ms: 100, retry_initial_ms: 50, retry_max_ms: 300,
                    tls_ca_file: \(pki.caCertificate), tls_certificate_file: \(pki.clientCertificate), tls_key_file: \(pki.clientKey) }
            """)
        let cloud = try site.startCloud()
        let gateway = try BackgroundProcess(TestSupport.gatewayBinary, ["run", "--config", site.gatewayConfig],
                                            output: site.dir.appendingPathComponent("gateway.log"))
        defer {
            gateway.stop(SIGKILL)
            cloud.stop(SIGKILL)
        }
        let stateURL = site.stateURL.replacingOccurrences(of: "http://", with: "https://")
        for _ in 0..<100 where Self.status(await Self.get(stateURL, ca: pki.caCertificate, certificate: pki.clientCertificate, key: pki.clientKey)) == 0 {
            try await Task.sleep(for: .milliseconds(100))
        }
        // The cloud refuses a client without a certificate.
        #expect(Self.status(await Self.get(stateURL, ca: pki.caCertificate)) == 0)

        var simulator = CSISimulator(scenario: .emptyWalkEmpty, seconds: 15, rate: 100, devices: 1, seed: 3, startTime: unixMicrosNow())
        _ = try await sendSimulatedFrames(&simulator, toPort: udpPort)
        var held = 0
        for _ in 0..<150 {
            if case .success(let (status, body)) = await Self.get(stateURL, ca: pki.caCertificate, certificate: pki.clientCertificate, key: pki.clientKey),
               status == 200, let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
               let size = object["size"] as? Int, size > 0 {
                held = size
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(held > 0, "the cloud holds nothing.\ncloud:\n\(cloud.log)\ngateway:\n\(gateway.log)")
    }
}
