import Foundation
import NIOSSL

/// TLS configurations built from PEM files named in a config, loaded and checked at start-up so
/// that a missing, unreadable or malformed file stops the service with a message naming the
/// config key, the file and the fix, instead of failing at the first handshake. Used by the
/// gateway (its API server, its push client) and by cloud-sync (its server, its pull client).
///
/// No message ever contains a file's contents: only paths and what was wrong with them.
public enum TLSFiles {
    /// A problem with one of the files; `description` is the whole message.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// A server configuration: certificate chain and private key, and, for mutual TLS, the CA
    /// whose certificates clients must present (`clientCAFile`; nil accepts any client).
    /// `key` is the config path the file keys start with, e.g. `http.tls_` (giving
    /// `http.tls_certificate_file` in messages).
    public static func server(certificateFile: String, keyFile: String, clientCAFile: String?, key: String) throws -> TLSConfiguration {
        let chain = try certificates(certificateFile, key: key + "certificate_file")
        let privateKey = try privateKey(keyFile, key: key + "key_file")
        if let clientCAFile {
            let roots = try certificates(clientCAFile, key: key + "client_ca_file")
            return .makeServerConfigurationWithMTLS(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey),
                trustRoots: .certificates(roots))
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// A client configuration: the system's roots, or only `caFile`'s when given; and a client
    /// certificate and key for mutual TLS when both are given.
    public static func client(caFile: String?, certificateFile: String?, keyFile: String?, key: String) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile {
            configuration.trustRoots = .certificates(try certificates(caFile, key: key + "ca_file"))
        }
        switch (certificateFile, keyFile) {
        case (nil, nil):
            break
        case let (certificate?, privateKeyFile?):
            configuration.certificateChain = try certificates(certificate, key: key + "certificate_file").map { .certificate($0) }
            configuration.privateKey = .privateKey(try privateKey(privateKeyFile, key: key + "key_file"))
        default:
            throw Problem(description: "\(key)certificate_file and \(key)key_file go together (a client certificate needs its key); set both or neither")
        }
        return configuration
    }

    static func certificates(_ path: String, key: String) throws -> [NIOSSLCertificate] {
        try readable(path, key: key)
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw Problem(description: "\(key): '\(path)' holds no PEM certificate (\(error)); it must start with -----BEGIN CERTIFICATE-----")
        }
        guard !chain.isEmpty else {
            throw Problem(description: "\(key): '\(path)' holds no PEM certificate; it must start with -----BEGIN CERTIFICATE-----")
        }
        return chain
    }

    static func privateKey(_ path: String, key: String) throws -> NIOSSLPrivateKey {
        try readable(path, key: key)
        do {
            return try NIOSSLPrivateKey(file: path, format: .pem)
        } catch {
            throw Problem(description: "\(key): '\(path)' holds no PEM private key (\(error)); give the unencrypted key that belongs to the certificate")
        }
    }

    private static func readable(_ path: String, key: String) throws {
        guard !path.isEmpty else { throw Problem(description: "\(key) is empty; set it to a PEM file") }
        guard FileManager.default.fileExists(atPath: path) else {
            throw Problem(description: "\(key): '\(path)' does not exist; check the path (relative paths are from the working directory)")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw Problem(description: "\(key): '\(path)' cannot be read by this user; fix its owner or mode (chmod 640, group of the service)")
        }
    }
}
