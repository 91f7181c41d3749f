import GatewayCore

/// Health thresholds and sensing settings for one GaN power amplifier.
///
/// The defaults suit a WiFi-band (2.4/5 GHz) GaN PA on a 28 V drain supply: a 2:1 VSWR alarm
/// (return loss 9.5 dB, 11 % of the power reflected), 1 dB of gain compression, 85 °C at the
/// case sensor, the drain supply within ±10 % of 28 V and at most 3 A. Each alarm raises after
/// `alarmFrames` consecutive frames over its threshold and clears after as many frames back under
/// its clear level, so a value hovering at a threshold does not flap.
public struct PASettings: Sendable, Equatable {
    public var vswrAlarm = 2.0
    public var vswrClear = 1.8
    public var compressionAlarmDb = 1.0
    public var compressionClearDb = 0.7
    public var overtempC = 85.0
    public var overtempClearC = 80.0
    public var drainVoltageMin = 25.2
    public var drainVoltageMax = 30.8
    public var drainCurrentMax = 3.0
    /// Relative margin inside the supply limits a reading must reach to clear `pa_supply`.
    public var supplyClearMargin = 0.02
    /// Consecutive frames over a threshold to raise an alarm, and under its clear level to end it.
    public var alarmFrames = 5
    /// Bandwidth of the transmitted channel, and of each adjacent channel, for ACPR.
    public var channelBandwidthHz = 20e6
    /// Distance from the channel's centre to each adjacent channel's centre.
    public var adjacentOffsetHz = 20e6
    /// Small-signal gain from the PA's datasheet or a bench measurement; nil: learnt from the
    /// lowest drive levels seen (see `AMAMCurve`).
    public var smallSignalGainDb: Double?
    /// PA measurements are stored as telemetry averaged over this interval.
    public var telemetryIntervalSeconds = 1.0
    /// Sensing: window length, and the first seconds (room assumed empty) that set the baseline.
    public var windowSeconds = 0.2
    public var calibrationSeconds = 10.0
    /// Sensing thresholds are the baseline's 95th percentile times this factor.
    public var thresholdFactor = 3.0

    public init() {}

    /// The problems with these settings, each naming the key and what is allowed; empty when usable.
    public var problems: [String] {
        var found: [String] = []
        func positive(_ value: Double, _ key: String) {
            if !(value > 0) || !value.isFinite { found.append("\(key) must be a positive number, got \(value)") }
        }
        if !(vswrAlarm > 1) { found.append("vswr_alarm must be above 1 (a perfect match is 1:1), got \(vswrAlarm)") }
        if !(vswrClear >= 1 && vswrClear <= vswrAlarm) { found.append("vswr_clear must be between 1 and vswr_alarm (\(vswrAlarm)), got \(vswrClear)") }
        positive(compressionAlarmDb, "compression_alarm_db")
        if !(compressionClearDb >= 0 && compressionClearDb <= compressionAlarmDb) {
            found.append("compression_clear_db must be between 0 and compression_alarm_db (\(compressionAlarmDb)), got \(compressionClearDb)")
        }
        if !(overtempClearC <= overtempC) { found.append("overtemp_clear_c must not exceed overtemp_c (\(overtempC)), got \(overtempClearC)") }
        if !(drainVoltageMin >= 0 && drainVoltageMin < drainVoltageMax) {
            found.append("drain_voltage_min must be at least 0 and below drain_voltage_max (\(drainVoltageMax)), got \(drainVoltageMin)")
        }
        positive(drainCurrentMax, "drain_current_max")
        if !(supplyClearMargin >= 0 && supplyClearMargin < 0.5) { found.append("supply_clear_margin must be in 0..<0.5, got \(supplyClearMargin)") }
        if alarmFrames < 1 { found.append("alarm_frames must be at least 1, got \(alarmFrames)") }
        positive(channelBandwidthHz, "channel_bandwidth_hz")
        positive(adjacentOffsetHz, "adjacent_offset_hz")
        if adjacentOffsetHz < channelBandwidthHz { found.append("adjacent_offset_hz (\(adjacentOffsetHz)) must be at least channel_bandwidth_hz (\(channelBandwidthHz)) so the channels do not overlap") }
        positive(telemetryIntervalSeconds, "telemetry_interval_seconds")
        positive(windowSeconds, "window_seconds")
        if !(calibrationSeconds >= windowSeconds * 5) { found.append("calibration_seconds must cover at least 5 windows (\(windowSeconds * 5) s), got \(calibrationSeconds)") }
        positive(thresholdFactor, "threshold_factor")
        return found
    }
}

/// PA settings for every device: the defaults, and overrides by device id.
public struct PASettingsTable: Sendable, Equatable {
    public var defaults: PASettings
    public var devices: [DeviceID: PASettings]

    public init(defaults: PASettings = PASettings(), devices: [DeviceID: PASettings] = [:]) {
        self.defaults = defaults
        self.devices = devices
    }

    public func settings(for device: DeviceID) -> PASettings { devices[device] ?? defaults }
}
