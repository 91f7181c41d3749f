import GatewayCore
import Inference

extension ConfigLoader {
    /// The `pa:` section: GaN PA health thresholds and sensing settings for every PA device,
    /// with per-device overrides under `devices:` (each starts from the section's values).
    static func readPA(_ reader: inout ConfigReader, into config: inout GatewayConfig, source: String) throws {
        try reader.section("pa") { r in
            var defaults = config.pa.defaults
            try readPASettings(&r, into: &defaults, source: source)
            var devices: [DeviceID: PASettings] = [:]
            try r.list("devices") { item in
                let device = try item.string("device", default: "")
                guard !device.isEmpty else {
                    throw GatewayError(.invalidConfig, "\(source): \(item.section).device is missing; name the PA node as it sends device_id, for example 'device: pa-lobby'")
                }
                var settings = defaults
                try readPASettings(&item, into: &settings, source: source)
                guard devices[DeviceID(device)] == nil else {
                    throw GatewayError(.invalidConfig, "\(source): \(item.section).device '\(device)' is listed twice; merge the two entries")
                }
                devices[DeviceID(device)] = settings
            }
            config.pa = PASettingsTable(defaults: defaults, devices: devices)
        }
    }

    private static func readPASettings(_ r: inout SectionReader, into s: inout PASettings, source: String) throws {
        s.vswrAlarm = try r.double("vswr_alarm", default: s.vswrAlarm, in: 1...100)
        s.vswrClear = try r.double("vswr_clear", default: min(s.vswrClear, s.vswrAlarm), in: 1...100)
        s.compressionAlarmDb = try r.double("compression_alarm_db", default: s.compressionAlarmDb, in: 0.01...30)
        s.compressionClearDb = try r.double("compression_clear_db", default: min(s.compressionClearDb, s.compressionAlarmDb), in: 0...30)
        s.overtempC = try r.double("overtemp_c", default: s.overtempC, in: -40...250)
        s.overtempClearC = try r.double("overtemp_clear_c", default: min(s.overtempClearC, s.overtempC), in: -40...250)
        s.drainVoltageMin = try r.double("drain_voltage_min", default: s.drainVoltageMin, in: 0...200)
        s.drainVoltageMax = try r.double("drain_voltage_max", default: s.drainVoltageMax, in: 0...200)
        s.drainCurrentMax = try r.double("drain_current_max", default: s.drainCurrentMax, in: 0.001...100)
        s.supplyClearMargin = try r.double("supply_clear_margin", default: s.supplyClearMargin, in: 0...0.49)
        s.alarmFrames = try r.int("alarm_frames", default: s.alarmFrames, in: 1...100_000)
        s.channelBandwidthHz = try r.double("channel_bandwidth_hz", default: s.channelBandwidthHz, in: 1e3...1e10)
        s.adjacentOffsetHz = try r.double("adjacent_offset_hz", default: max(s.adjacentOffsetHz, s.channelBandwidthHz), in: 1e3...1e10)
        s.smallSignalGainDb = try r.optionalDouble("small_signal_gain_db", in: -50...80) ?? s.smallSignalGainDb
        s.telemetryIntervalSeconds = try r.double("telemetry_interval_seconds", default: s.telemetryIntervalSeconds, in: 0.01...3600)
        s.windowSeconds = try r.double("window_seconds", default: s.windowSeconds, in: 0.02...10)
        s.calibrationSeconds = try r.double("calibration_seconds", default: s.calibrationSeconds, in: 0.1...3600)
        s.thresholdFactor = try r.double("threshold_factor", default: s.thresholdFactor, in: 1...1000)
        if let problem = s.problems.first {
            throw GatewayError(.invalidConfig, "\(source): \(r.section): \(problem)")
        }
    }
}
