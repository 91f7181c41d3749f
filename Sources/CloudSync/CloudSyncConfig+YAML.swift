import Foundation
import Ledger
import Yams

/// Reading the YAML config of `cloud-sync serve`:
///
/// ```yaml
/// listen: {host: 127.0.0.1, port: 8443}
/// storage: {sqlite: /var/lib/cloud-sync/cloud.sqlite}
/// gateways:
///   - {origin: gw-01, verifier_key: "gw-01+1a2b3c4d+AQ..."}
///   - {origin: gw-02, verifier_key: "gw-02+...", mode: pull, url: "http://10.0.0.5:8080", interval_ms: 1000}
/// limits: {max_entries: 50000, max_bytes: 67108864}
/// ```
///
/// Every error names the file, the key (`gateways[1].verifier_key`) and the fix; unknown keys are
/// errors too, so a typo cannot silently leave a default in place.
extension CloudSyncConfig {
    public static func load(path: String) throws -> CloudSyncConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CloudSyncError(.invalidConfig, "cannot read config file \(path); check the path and its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CloudSyncError(.invalidConfig, "config file \(path) is not UTF-8 text")
        }
        return try parse(yaml: text, source: path)
    }

    public static func parse(yaml: String, source: String = "config") throws -> CloudSyncConfig {
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: yaml)
        } catch {
            throw CloudSyncError(.invalidConfig, "\(source) is not valid YAML: \(error)")
        }
        guard let root = loaded as? [String: Any] else {
            throw CloudSyncError(.invalidConfig, "\(source): the top level must be a mapping with listen, storage, gateways and limits")
        }
        let file = YAMLMapping(root, path: "", source: source)
        try file.rejectUnknownKeys(["listen", "storage", "gateways", "limits"])

        let (enrolled, pulls) = try gateways(file)
        var config = CloudSyncConfig(storage: try storage(file), gateways: enrolled)
        config.pulls = pulls

        if let listen = try file.mapping("listen") {
            try listen.rejectUnknownKeys(["host", "port", "tls_certificate_file", "tls_key_file", "tls_client_ca_file"])
            config.listen.host = try listen.string("host") ?? config.listen.host
            config.listen.port = try listen.int("port", in: 0...65535) ?? config.listen.port
            config.listen.tlsCertificateFile = try listen.string("tls_certificate_file")
            config.listen.tlsKeyFile = try listen.string("tls_key_file")
            config.listen.tlsClientCAFile = try listen.string("tls_client_ca_file")
            if (config.listen.tlsCertificateFile == nil) != (config.listen.tlsKeyFile == nil) {
                throw listen.error("tls_certificate_file", "and listen.tls_key_file go together; set both for HTTPS, or neither")
            }
            if config.listen.tlsClientCAFile != nil, config.listen.tlsCertificateFile == nil {
                throw listen.error("tls_client_ca_file", "needs HTTPS; set listen.tls_certificate_file and listen.tls_key_file too")
            }
        }
        if let limits = try file.mapping("limits") {
            try limits.rejectUnknownKeys(["max_entries", "max_bytes"])
            config.limits.maxEntries = try limits.int("max_entries", in: 1...10_000_000) ?? config.limits.maxEntries
            config.limits.maxBytes = try limits.int("max_bytes", in: 1024...(1 << 30)) ?? config.limits.maxBytes
        }
        return config
    }

    private static func gateways(_ file: YAMLMapping) throws -> ([EnrolledGateway], [PullTarget]) {
        var gateways: [EnrolledGateway] = []
        var pulls: [PullTarget] = []
        var firstIndex: [String: Int] = [:]
        for (index, item) in try file.list("gateways").enumerated() {
            try item.rejectUnknownKeys(["origin", "verifier_key", "mode", "url", "token_file", "tls_ca_file", "tls_certificate_file", "tls_key_file", "interval_ms", "batch_max_entries",
                                        "retry_initial_ms", "retry_max_ms", "timeout_ms"])
            guard let origin = try item.string("origin"), isValidOrigin(origin) else {
                throw item.error("origin", "must be the gateway's log origin (its checkpoint's first line): one non-empty line without control characters or surrounding spaces")
            }
            if let earlier = firstIndex[origin] {
                throw item.error("origin", "'\(origin)' is already enrolled by gateways[\(earlier)]; list each gateway once (merge the entries, or rename one)")
            }
            firstIndex[origin] = index
            guard let keyText = try item.string("verifier_key") else {
                throw item.error("verifier_key", "is missing; set it to the gateway's note verifier key (name+hash+base64, logged by `gateway run` at start)")
            }
            let key: NoteVerifierKey
            do {
                key = try NoteVerifierKey(parsing: keyText.trimmingCharacters(in: .whitespaces))
            } catch let error as LedgerError {
                throw item.error("verifier_key", "is not a note verifier key (\(error.message)); use the name+hash+base64 line the gateway logs at start, not its PRIVATE+KEY file")
            }
            gateways.append(EnrolledGateway(origin: origin, verifierKey: key))
            if let pull = try pullTarget(item, origin: origin) { pulls.append(pull) }
        }
        return (gateways, pulls)
    }

    /// `storage: {sqlite: FILE}` or `storage: {postgres: {host, port, user, database, password_file, tls, max_connections}}`.
    private static func storage(_ file: YAMLMapping) throws -> Storage {
        let storage = try file.mapping("storage")
        try storage?.rejectUnknownKeys(["sqlite", "postgres"])
        let example = "storage: {sqlite: /var/lib/cloud-sync/cloud.sqlite} or storage: {postgres: {host: 127.0.0.1, user: cloud_sync, database: cloud_sync}}"
        if let postgres = try storage?.mapping("postgres") {
            guard storage?.has("sqlite") != true else {
                throw file.error("storage", "names both sqlite and postgres; keep one")
            }
            try postgres.rejectUnknownKeys(["host", "port", "user", "database", "password_file", "tls", "max_connections"])
            var settings = PostgresSettings()
            settings.host = try postgres.string("host") ?? settings.host
            settings.port = try postgres.int("port", in: 1...65535) ?? settings.port
            settings.user = try postgres.string("user") ?? settings.user
            settings.database = try postgres.string("database") ?? settings.database
            settings.passwordFile = try postgres.string("password_file") ?? settings.passwordFile
            settings.maxConnections = try postgres.int("max_connections", in: 1...1000) ?? settings.maxConnections
            if let tls = try postgres.string("tls") {
                guard let mode = PostgresSettings.TLSMode(rawValue: tls) else {
                    throw postgres.error("tls", "'\(tls)' is not a mode; use disable, prefer or require")
                }
                settings.tls = mode
            }
            for (key, value) in [("host", settings.host), ("user", settings.user), ("database", settings.database)] where value.isEmpty {
                throw postgres.error(key, "is empty; \(example)")
            }
            return .postgres(settings)
        }
        guard let sqlite = try storage?.string("sqlite"), !sqlite.isEmpty else {
            throw CloudSyncError(.invalidConfig, "\(file.source): storage.sqlite is missing; set the database: \(example)")
        }
        return .sqlite(sqlite)
    }

    /// The pull settings of a `gateways` item with `mode: pull`; nil for `mode: push` (the default).
    private static func pullTarget(_ item: YAMLMapping, origin: String) throws -> PullTarget? {
        let mode = try item.string("mode") ?? "push"
        guard mode == "pull" else {
            guard mode == "push" else { throw item.error("mode", "'\(mode)' is not a mode; use push (the gateway sends batches) or pull (this service fetches them from url)") }
            for key in ["url", "token_file", "tls_ca_file", "tls_certificate_file", "tls_key_file", "interval_ms", "batch_max_entries", "retry_initial_ms", "retry_max_ms", "timeout_ms"] where item.has(key) {
                throw item.error(key, "applies only to mode: pull; remove it or set mode: pull")
            }
            return nil
        }
        guard let url = try item.string("url"), let parsed = URL(string: url), let scheme = parsed.scheme,
              ["http", "https"].contains(scheme), parsed.host != nil else {
            throw item.error("url", "must be the gateway's HTTP API base URL for mode: pull, e.g. url: \"http://10.0.0.5:8080\"")
        }
        var target = PullTarget(origin: origin, url: url)
        target.intervalMillis = try item.int("interval_ms", in: 10...600_000) ?? target.intervalMillis
        target.batchMaxEntries = try item.int("batch_max_entries", in: 1...100_000) ?? target.batchMaxEntries
        target.retryInitialMillis = try item.int("retry_initial_ms", in: 1...600_000) ?? target.retryInitialMillis
        target.retryMaxMillis = try item.int("retry_max_ms", in: 1...3_600_000) ?? target.retryMaxMillis
        target.timeoutMillis = try item.int("timeout_ms", in: 100...600_000) ?? target.timeoutMillis
        if let file = try item.string("token_file") {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw item.error("token_file", "'\(file)' cannot be read; point it at a file holding the gateway's API token (from 'gateway token new --role operator'), readable by cloud-sync")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty, !token.contains(where: \.isWhitespace) else {
                throw item.error("token_file", "'\(file)' must hold exactly one token on one line")
            }
            target.token = token
        }
        target.tlsCAFile = try item.string("tls_ca_file")
        target.tlsCertificateFile = try item.string("tls_certificate_file")
        target.tlsKeyFile = try item.string("tls_key_file")
        if target.tlsCAFile != nil || target.tlsCertificateFile != nil, !url.lowercased().hasPrefix("https://") {
            throw item.error("tls_ca_file", "and tls_certificate_file apply to an https:// url; '\(url)' is plain http")
        }
        guard target.retryInitialMillis <= target.retryMaxMillis else {
            throw item.error("retry_initial_ms", "(\(target.retryInitialMillis)) must not exceed retry_max_ms (\(target.retryMaxMillis))")
        }
        return target
    }

    /// Origins are checkpoint origin lines: one line, printable, no surrounding whitespace.
    static func isValidOrigin(_ origin: String) -> Bool {
        !origin.isEmpty && origin.count <= 255
            && !origin.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
            && origin.trimmingCharacters(in: .whitespaces) == origin
    }
}

/// One mapping of the config file, with its dotted path for error messages.
private struct YAMLMapping {
    let values: [String: Any]
    let path: String
    let source: String

    init(_ values: [String: Any], path: String, source: String) {
        self.values = values
        self.path = path
        self.source = source
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ problem: String) -> CloudSyncError {
        CloudSyncError(.invalidConfig, "\(source): \(name(key)) \(problem)")
    }

    func rejectUnknownKeys(_ known: [String]) throws {
        for key in values.keys.sorted() where !known.contains(key) {
            throw error(key, "is not a known key; known here: \(known.joined(separator: ", "))")
        }
    }

    private func value(_ key: String) -> Any? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func mapping(_ key: String) throws -> YAMLMapping? {
        guard let raw = value(key) else { return nil }
        guard let mapping = raw as? [String: Any] else {
            throw error(key, "must be a mapping of keys, like '\(key):' followed by indented 'key: value' lines")
        }
        return YAMLMapping(mapping, path: name(key), source: source)
    }

    func list(_ key: String) throws -> [YAMLMapping] {
        guard let raw = value(key) else { return [] }
        guard let items = raw as? [Any] else {
            throw error(key, "must be a list, each item starting with '- ' on its own line")
        }
        return try items.enumerated().map { index, item in
            guard let mapping = item as? [String: Any] else {
                throw CloudSyncError(.invalidConfig, "\(source): \(name(key))[\(index)] must be a mapping, like '- {origin: gw-01, verifier_key: \"gw-01+...\"}'")
            }
            return YAMLMapping(mapping, path: "\(name(key))[\(index)]", source: source)
        }
    }

    func string(_ key: String) throws -> String? {
        switch value(key) {
        case nil: return nil
        case let text as String: return text
        case let number as Int: return String(number)
        default: throw error(key, "must be a string")
        }
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = value(key) else { return nil }
        guard let number = raw as? Int ?? (raw as? String).flatMap({ Int($0) }) else {
            throw error(key, "must be a whole number between \(range.lowerBound) and \(range.upperBound), got '\(raw)'")
        }
        guard range.contains(number) else {
            throw error(key, "is \(number); use a value between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }
}
