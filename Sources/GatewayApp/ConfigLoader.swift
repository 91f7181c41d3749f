import DSP
import Foundation
import GatewayCore
import Inference
import Ingest
import Logging
import Yams

/// Reads and validates `GatewayConfig` from YAML text plus environment overrides.
public enum ConfigLoader {
    public static let environmentPrefix = "GATEWAY_"

    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> GatewayConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatewayError(.invalidConfig, "cannot read config file \(path); check the path (see Deploy/gateway.yaml for an example)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GatewayError(.invalidConfig, "config file \(path) is not UTF-8 text")
        }
        return try parse(yaml: text, source: path, environment: environment)
    }

    public static func parse(yaml: String, source: String = "config", environment: [String: String] = [:]) throws -> GatewayConfig {
        let root: [String: Any]
        do {
            let loaded = try Yams.load(yaml: yaml)
            if loaded == nil {
                root = [:]
            } else if let mapping = loaded as? [String: Any] {
                root = mapping
            } else {
                throw GatewayError(.invalidConfig, "\(source): the top level must be a mapping of sections (gateway, udp, mqtt, nexmon, pcap, serial, http, store, pipeline, detector, diffusion, logging)")
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.invalidConfig, "\(source) is not valid YAML: \(error)")
        }
        var reader = ConfigReader(root: root, source: source, environment: environment, prefix: environmentPrefix)
        var config = GatewayConfig()
        try reader.section("gateway") { r in
            config.gateway.name = try r.string("name", default: config.gateway.name, pattern: "^[A-Za-z0-9._/-]{1,64}$",
                                               hint: "use 1-64 letters, digits, '.', '_', '-' or '/'")
        }
        try reader.section("udp") { r in
            config.udp.enabled = try r.bool("enabled", default: config.udp.enabled)
            config.udp.host = try r.string("host", default: config.udp.host)
            config.udp.port = try r.int("port", default: config.udp.port, in: 0...65535)
            config.udp.maxDatagramBytes = try r.int("max_datagram_bytes", default: config.udp.maxDatagramBytes, in: 64...65_507)
            config.udp.receiveBufferBytes = try r.int("receive_buffer_bytes", default: config.udp.receiveBufferBytes, in: 65_536...(1 << 30))
            config.udp.naming = try r.deviceNames()
        }
        try reader.section("mqtt") { r in
            var m = config.mqtt.settings
            config.mqtt.enabled = try r.bool("enabled", default: config.mqtt.enabled)
            m.host = try r.string("host", default: m.host)
            m.port = try r.int("port", default: m.port, in: 1...65535)
            m.clientID = try r.string("client_id", default: m.clientID, pattern: "^[A-Za-z0-9._-]{1,64}$",
                                      hint: "use 1-64 letters, digits, '.', '_' or '-' and keep it stable: it names the persistent session")
            m.topics = try r.stringList("topics", default: m.topics)
            m.qos = try r.int("qos", default: m.qos, in: 0...1)
            m.sessionExpirySeconds = UInt32(try r.int("session_expiry_seconds", default: Int(m.sessionExpirySeconds), in: 0...Int(UInt32.max)))
            m.keepAliveSeconds = try r.int("keepalive_seconds", default: m.keepAliveSeconds, in: 5...3600)
            let username = try r.string("username", default: "")
            m.username = username.isEmpty ? nil : username
            let password = try r.string("password", default: "")
            m.password = password.isEmpty ? nil : password
            let naming = try r.string("device_naming", default: m.deviceNaming.rawValue)
            guard let parsed = MQTTSettings.DeviceNaming(rawValue: naming) else {
                throw GatewayError(.invalidConfig, "\(source): mqtt.device_naming '\(naming)' is not known; use frame (the id inside each frame) or topic (the topic's last level)")
            }
            m.deviceNaming = parsed
            m.naming = try r.deviceNames()
            config.mqtt.settings = m
        }
        try reader.section("nexmon") { r in
            config.nexmon.enabled = try r.bool("enabled", default: config.nexmon.enabled)
            config.nexmon.host = try r.string("host", default: config.nexmon.host)
            config.nexmon.port = try r.int("port", default: config.nexmon.port, in: 0...65535)
            config.nexmon.naming = try r.deviceNames()
        }
        try reader.section("pcap") { r in
            config.pcap.enabled = try r.bool("enabled", default: config.pcap.enabled)
            config.pcap.settings.interface = try r.string("interface", default: config.pcap.settings.interface,
                                                          pattern: "^[A-Za-z0-9._:@-]{1,64}$", hint: "name a network interface, as `ip link` lists them")
            config.pcap.settings.filter = try r.string("filter", default: config.pcap.settings.filter)
            config.pcap.settings.naming = try r.deviceNames()
        }
        try reader.list("serial") { r in
            let path = try r.string("path", default: "")
            var port = SerialSettings(path: path)
            port.baud = try r.int("baud", default: port.baud, in: 1200...4_000_000)
            let parity = try r.string("parity", default: port.parity.rawValue)
            guard let parsedParity = SerialSettings.Parity(rawValue: parity) else {
                throw GatewayError(.invalidConfig, "\(source): \(r.section).parity '\(parity)' is not known; use none, even or odd")
            }
            port.parity = parsedParity
            port.stopBits = try r.int("stop_bits", default: port.stopBits, in: 1...2)
            let name = try r.string("device_name", default: "")
            port.deviceName = name.isEmpty ? nil : name
            port.naming = try r.deviceNames()
            do {
                try port.validate()
            } catch let error as GatewayError {
                throw GatewayError(.invalidConfig, "\(source): \(r.section): \(error.message)")
            }
            config.serial.append(port)
        }
        try readShdr(&reader, into: &config, source: source)
        try readPA(&reader, into: &config, source: source)
        try readInstruments(&reader, into: &config, source: source)
        try reader.section("http") { r in
            config.http.enabled = try r.bool("enabled", default: config.http.enabled)
            config.http.host = try r.string("host", default: config.http.host)
            config.http.port = try r.int("port", default: config.http.port, in: 0...65535)
            config.http.tokens = try Self.parseTokens(&r, source: source)
            config.http.tlsCertificateFile = try r.optionalString("tls_certificate_file")
            config.http.tlsKeyFile = try r.optionalString("tls_key_file")
            config.http.tlsClientCAFile = try r.optionalString("tls_client_ca_file")
            if (config.http.tlsCertificateFile == nil) != (config.http.tlsKeyFile == nil) {
                throw GatewayError(.invalidConfig, "\(source): http.tls_certificate_file and http.tls_key_file go together; set both for HTTPS, or neither")
            }
            if config.http.tlsClientCAFile != nil, config.http.tlsCertificateFile == nil {
                throw GatewayError(.invalidConfig, "\(source): http.tls_client_ca_file needs HTTPS; set http.tls_certificate_file and http.tls_key_file too")
            }
        }
        try reader.section("store") { r in
            config.store.path = try r.string("path", default: config.store.path)
            config.store.rawFramesMaxBytes = Int64(try r.int("raw_frames_max_bytes", default: Int(config.store.rawFramesMaxBytes), in: 0...(1 << 40)))
            config.store.commitIntervalMillis = try r.int("commit_interval_ms", default: config.store.commitIntervalMillis, in: 1...60_000)
            config.store.commitMaxRows = try r.int("commit_max_rows", default: config.store.commitMaxRows, in: 1...1_000_000)
            config.store.calibrationsKept = try r.int("calibrations_kept", default: config.store.calibrationsKept, in: 0...100_000)
            config.store.loadCalibrations = try r.bool("load_calibrations", default: config.store.loadCalibrations)
        }
        try reader.section("ledger") { r in
            config.ledger.keyFile = try r.string("key_file", default: config.ledger.keyFile)
            config.ledger.checkpointEveryEntries = try r.int("checkpoint_every_entries", default: config.ledger.checkpointEveryEntries, in: 1...10_000_000)
            config.ledger.checkpointEverySeconds = try r.double("checkpoint_every_seconds", default: config.ledger.checkpointEverySeconds, in: 0...86_400)
        }
        try reader.section("sync") { r in
            // YAML reads a bare `off` as the boolean false: take it as the mode it names.
            let mode: String
            if let text = try? r.string("mode", default: config.sync.mode.rawValue) {
                mode = text
            } else {
                mode = try r.bool("mode", default: true) ? "on" : "off"
            }
            guard let parsed = GatewayConfig.Sync.Mode(rawValue: mode) else {
                throw GatewayError(.invalidConfig, "\(source): sync.mode '\(mode)' is not a mode; use off, push or pull")
            }
            config.sync.mode = parsed
            config.sync.url = try r.string("url", default: config.sync.url)
            config.sync.batchMaxEntries = try r.int("batch_max_entries", default: config.sync.batchMaxEntries, in: 1...1_000_000)
            config.sync.pollIntervalMillis = try r.int("poll_interval_ms", default: config.sync.pollIntervalMillis, in: 10...600_000)
            config.sync.retryInitialMillis = try r.int("retry_initial_ms", default: config.sync.retryInitialMillis, in: 1...600_000)
            config.sync.retryMaxMillis = try r.int("retry_max_ms", default: config.sync.retryMaxMillis, in: 1...3_600_000)
            config.sync.timeoutMillis = try r.int("timeout_ms", default: config.sync.timeoutMillis, in: 100...600_000)
            config.sync.tlsCAFile = try r.optionalString("tls_ca_file")
            config.sync.tlsCertificateFile = try r.optionalString("tls_certificate_file")
            config.sync.tlsKeyFile = try r.optionalString("tls_key_file")
            let tlsSet = config.sync.tlsCAFile != nil || config.sync.tlsCertificateFile != nil
            if tlsSet, config.sync.mode == .push, !config.sync.url.lowercased().hasPrefix("https://") {
                throw GatewayError(.invalidConfig, "\(source): sync.tls_* settings apply to an https:// sync.url; '\(config.sync.url)' is plain http")
            }
            if config.sync.mode == .pull, !config.http.enabled {
                throw GatewayError(.invalidConfig, "\(source): sync.mode is pull but http.enabled is false: the cloud pulls batches from this gateway's HTTP API; enable http (and set http.host to an address the cloud can reach)")
            }
            if config.sync.mode == .push {
                guard let url = URL(string: config.sync.url), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                    throw GatewayError(.invalidConfig, "\(source): sync.url '\(config.sync.url)' is not an http(s) URL; set it to the cloud sync service, e.g. http://cloud.example:8443")
                }
                guard config.sync.retryInitialMillis <= config.sync.retryMaxMillis else {
                    throw GatewayError(.invalidConfig, "\(source): sync.retry_initial_ms (\(config.sync.retryInitialMillis)) must not exceed sync.retry_max_ms (\(config.sync.retryMaxMillis))")
                }
            }
        }
        try reader.section("pipeline") { r in
            config.pipeline.queueFramesPerDevice = try r.int("queue_frames_per_device", default: config.pipeline.queueFramesPerDevice, in: 1...1_000_000)
            config.pipeline.maxDevices = try r.int("max_devices", default: config.pipeline.maxDevices, in: 1...100_000)
        }
        try reader.section("detector") { r in
            var d = config.detector
            d.windowMillis = try r.int("window_ms", default: d.windowMillis, in: 20...10_000)
            d.minFramesPerWindow = try r.int("min_frames_per_window", default: d.minFramesPerWindow, in: 1...10_000)
            d.hampelWindow = try r.int("hampel_window", default: d.hampelWindow, in: 0...HampelFilter.windowLengths.upperBound)
            d.hampelThreshold = try r.double("hampel_threshold", default: d.hampelThreshold, in: 0...100)
            d.calibrationSeconds = try r.double("calibration_seconds", default: d.calibrationSeconds, in: 1...3600)
            d.motionThresholdFactor = try r.double("motion_threshold_factor", default: d.motionThresholdFactor, in: 1...1000)
            d.presenceThresholdFactor = try r.double("presence_threshold_factor", default: d.presenceThresholdFactor, in: 1...1000)
            d.voteWindows = try r.int("vote_windows", default: d.voteWindows, in: 1...50)
            d.votesNeeded = try r.int("votes_needed", default: d.votesNeeded, in: 1...50)
            d.motionHoldSeconds = try r.double("motion_hold_seconds", default: d.motionHoldSeconds, in: 0...600)
            d.presenceHoldSeconds = try r.double("presence_hold_seconds", default: d.presenceHoldSeconds, in: 0...3600)
            d.adaptToDrift = try r.bool("adapt_to_drift", default: d.adaptToDrift)
            d.coherenceMotion = try r.bool("coherence_motion", default: d.coherenceMotion)
            d.coherenceGap = try r.double("coherence_gap", default: d.coherenceGap, in: 0...1)
            d.fallConfirmSeconds = try r.double("fall_confirm_seconds", default: d.fallConfirmSeconds, in: 0.5...60)
            d.fallMaxLeadSeconds = try r.double("fall_max_lead_seconds", default: d.fallMaxLeadSeconds, in: 0...5)
            d.fallMinFastRatio = try r.double("fall_min_fast_ratio", default: d.fallMinFastRatio, in: 1...10_000)
            d.fallMinFastShare = try r.double("fall_min_fast_share", default: d.fallMinFastShare, in: 0...1)
            guard d.hampelWindow == 0 || (HampelFilter.windowLengths.contains(d.hampelWindow) && d.hampelWindow % 2 == 1) else {
                throw GatewayError(.invalidConfig, "\(source): detector.hampel_window (\(d.hampelWindow)) must be 0 (filter off) or an odd number of frames from \(HampelFilter.windowLengths.lowerBound) to \(HampelFilter.windowLengths.upperBound), such as 7")
            }
            guard d.votesNeeded <= d.voteWindows else {
                throw GatewayError(.invalidConfig, "\(source): detector.votes_needed (\(d.votesNeeded)) must not exceed detector.vote_windows (\(d.voteWindows))")
            }
            config.detector = d
        }
        try reader.section("diffusion") { r in
            try Self.readDiffusion(&r, into: &config.detector.diffusion, source: source)
        }
        try reader.section("regime_shift") { r in
            config.regimeShift.points = try r.stringList("points", default: [], allowEmpty: true)
            var settings = config.regimeShift.settings
            settings.minSegmentSamples = try r.int("min_segment_samples", default: settings.minSegmentSamples, in: 10...1_000_000)
            settings.maxReferenceSamples = try r.int("max_reference_samples", default: max(settings.maxReferenceSamples, settings.minSegmentSamples), in: 10...10_000_000)
            settings.levelThreshold = try r.double("level_threshold", default: settings.levelThreshold, in: 0.1...1000)
            settings.varianceThreshold = try r.double("variance_threshold", default: settings.varianceThreshold, in: 0.1...1000)
            settings.cooldownSeconds = try r.double("cooldown_seconds", default: settings.cooldownSeconds, in: 0...86_400)
            if let problem = settings.problem {
                throw GatewayError(.invalidConfig, "\(source): regime_shift: \(problem)")
            }
            for point in config.regimeShift.points where point != "*" && !point.contains("/") {
                throw GatewayError(.invalidConfig, "\(source): regime_shift.points entry '\(point)' must be source/point (the machine's name, a slash, the point's name) or *")
            }
            config.regimeShift.settings = settings
        }
        try reader.section("logging") { r in
            let level = try r.string("level", default: config.logging.level.rawValue)
            guard let parsed = Logger.Level(rawValue: level) else {
                throw GatewayError(.invalidConfig, "\(source): logging.level '\(level)' is not a level; use one of trace, debug, info, notice, warning, error, critical")
            }
            config.logging.level = parsed
        }
        config.modbus = try parseModbus(&reader, source: source)
        try reader.rejectUnknownSections()
        return config
    }
}
