import Chronos
import GatewayCore

extension ConfigLoader {
    /// The `shdr:` list: MTConnect SHDR adapters (see Deploy/gateway.yaml).
    static func readShdr(_ reader: inout ConfigReader, into config: inout GatewayConfig, source: String) throws {
        let kinds = ShdrItemKind.allCases.map(\.rawValue).joined(separator: ", ")
        try reader.list("shdr") { r in
            let name = try r.string("name", default: "", pattern: "^[A-Za-z0-9._:@-]{1,64}$",
                                    hint: "name the machine with 1-64 letters, digits, '.', '_', ':', '@' or '-' (it is the source of its telemetry)")
            let host = try r.string("host", default: "")
            var adapter = ShdrAdapterSettings(name: name, host: host)
            adapter.port = try r.int("port", default: adapter.port, in: 1...65535)
            adapter.heartbeatTimeoutMillis = try r.int("heartbeat_timeout_ms", default: adapter.heartbeatTimeoutMillis, in: 100...3_600_000)
            adapter.connectTimeoutMillis = try r.int("connect_timeout_ms", default: adapter.connectTimeoutMillis, in: 100...600_000)
            adapter.reconnectInitialMillis = try r.int("reconnect_initial_ms", default: adapter.reconnectInitialMillis, in: 1...600_000)
            adapter.reconnectMaxMillis = try r.int("reconnect_max_ms", default: adapter.reconnectMaxMillis, in: 1...3_600_000)
            adapter.passUnmapped = try r.bool("pass_unmapped", default: adapter.passUnmapped)
            try r.list("items") { item in
                let key = try item.string("key", default: "")
                let point = try item.string("point", default: key, pattern: "^[A-Za-z0-9._:/@-]{1,128}$",
                                            hint: "name the point with 1-128 letters, digits, '.', '_', ':', '/', '@' or '-'")
                let kindText = try item.string("kind", default: ShdrItemKind.sample.rawValue)
                guard let kind = ShdrItemKind(rawValue: kindText) else {
                    throw GatewayError(.invalidConfig, "\(source): \(item.section).kind '\(kindText)' is not a kind; use one of \(kinds)")
                }
                let unit = try item.string("unit", default: "")
                let scale = try item.double("scale", default: 1, in: -1e12...1e12)
                adapter.items.append(ShdrItemMapping(key: key, point: point, kind: kind, unit: unit, scale: scale))
            }
            if name.isEmpty {
                throw GatewayError(.invalidConfig, "\(source): \(r.section).name is missing; name the machine, for example 'name: mill-1'")
            }
            if host.isEmpty {
                throw GatewayError(.invalidConfig, "\(source): \(r.section).host is missing; set it to the adapter's address, for example 'host: 192.168.1.20'")
            }
            do {
                try adapter.validate()
            } catch let error as GatewayError {
                throw GatewayError(.invalidConfig, "\(source): \(r.section): \(error.message)")
            }
            config.shdr.append(adapter)
        }
        var names = Set<String>()
        for adapter in config.shdr where !names.insert(adapter.name).inserted {
            throw GatewayError(.invalidConfig, "\(source): two shdr adapters are named '\(adapter.name)'; machine names must be unique")
        }
    }
}
