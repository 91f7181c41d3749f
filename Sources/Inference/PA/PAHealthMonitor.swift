import GatewayCore

/// Turns one PA's measurements into health events (`pa_vswr`, `pa_compression`, `pa_overtemp`,
/// `pa_supply`): interval events with hysteresis (`HysteresisAlarm`), each carrying the measured
/// values of its worst frame.
public struct PAHealthMonitor: Sendable {
    public static let modelVersion = "pa-health-v1"
    private let settings: PASettings
    private var vswr: HysteresisAlarm
    private var compression: HysteresisAlarm
    private var overtemp: HysteresisAlarm
    private var supply: HysteresisAlarm
    private var trend = TemperatureTrend()

    public init(settings: PASettings) {
        self.settings = settings
        vswr = HysteresisAlarm(kind: .paVSWR, frames: settings.alarmFrames)
        compression = HysteresisAlarm(kind: .paCompression, frames: settings.alarmFrames)
        overtemp = HysteresisAlarm(kind: .paOvertemp, frames: settings.alarmFrames)
        supply = HysteresisAlarm(kind: .paSupply, frames: settings.alarmFrames)
    }

    /// °C per minute over the last two minutes.
    public var temperatureTrend: Double { trend.slope }

    /// A `pa_vswr` alarm is raised: the load has failed.
    public var loadFault: Bool { vswr.isRaised }

    /// Kinds of the alarms raised now.
    public var raised: [EventKind] {
        [vswr, compression, overtemp, supply].filter(\.isRaised).map(\.kind)
    }

    public mutating func observe(_ m: PAMeasurement, device: DeviceID) -> [SensingEvent] {
        var out: [SensingEvent] = []
        let s = settings
        let version = Self.modelVersion
        trend.add(time: m.time, celsius: m.temperatureC)
        if let e = vswr.update(device: device, time: m.time, over: m.vswr >= s.vswrAlarm, under: m.vswr <= s.vswrClear,
                               severity: (m.vswr - 1) / (s.vswrAlarm - 1), modelVersion: version, features: {
            [NamedValue("vswr", m.vswr), NamedValue("return_loss_db", m.returnLossDb),
             NamedValue("reflection_coefficient", m.reflectionCoefficient),
             NamedValue("forward_power_dbm", m.forwardPowerDbm), NamedValue("reflected_power_dbm", m.reflectedPowerDbm),
             NamedValue("vswr_threshold", s.vswrAlarm)]
        }) { out.append(e) }
        if let c = m.compressionDb ?? (compression.isRaised ? 0 : nil),
           let e = compression.update(device: device, time: m.time, over: c >= s.compressionAlarmDb,
                                      under: c <= s.compressionClearDb, severity: c / s.compressionAlarmDb,
                                      modelVersion: version, features: {
            [NamedValue("compression_db", c), NamedValue("gain_db", m.gainDb), NamedValue("input_power_dbm", m.inputPowerDbm),
             NamedValue("forward_power_dbm", m.forwardPowerDbm), NamedValue("papr_db", m.paprDb),
             NamedValue("compression_threshold_db", s.compressionAlarmDb)]
        }) { out.append(e) }
        let slope = trend.slope
        if let e = overtemp.update(device: device, time: m.time, over: m.temperatureC >= s.overtempC,
                                   under: m.temperatureC <= s.overtempClearC,
                                   severity: 1 + (m.temperatureC - s.overtempC) / 10, modelVersion: version, features: {
            [NamedValue("temperature_c", m.temperatureC), NamedValue("temperature_trend_c_per_min", slope),
             NamedValue("forward_power_dbm", m.forwardPowerDbm), NamedValue("overtemp_threshold_c", s.overtempC)]
        }) { out.append(e) }
        let v = m.drainVoltage, i = m.drainCurrent, margin = s.supplyClearMargin
        let outside = v < s.drainVoltageMin || v > s.drainVoltageMax || i > s.drainCurrentMax
        let inside = v >= s.drainVoltageMin * (1 + margin) && v <= s.drainVoltageMax * (1 - margin)
            && i <= s.drainCurrentMax * (1 - margin)
        // Severity: how far outside the allowed range, relative to 10 % of the nominal range.
        let nominal = (s.drainVoltageMin + s.drainVoltageMax) / 2
        let deviation = max(s.drainVoltageMin - v, v - s.drainVoltageMax, 0) / (0.1 * nominal)
            + max(i - s.drainCurrentMax, 0) / (0.1 * s.drainCurrentMax)
        if let e = supply.update(device: device, time: m.time, over: outside, under: inside, severity: 1 + deviation,
                                 modelVersion: version, features: {
            [NamedValue("drain_voltage_v", v), NamedValue("drain_current_a", i),
             NamedValue("drain_voltage_min_v", s.drainVoltageMin), NamedValue("drain_voltage_max_v", s.drainVoltageMax),
             NamedValue("drain_current_max_a", s.drainCurrentMax)]
        }) { out.append(e) }
        return out
    }

    public mutating func finish(at time: Int64) -> [SensingEvent] {
        [vswr.finish(at: time), compression.finish(at: time), overtemp.finish(at: time), supply.finish(at: time)].compactMap { $0 }
    }
}

extension EventKind {
    public static let paVSWR: EventKind = "pa_vswr"
    public static let paCompression: EventKind = "pa_compression"
    public static let paOvertemp: EventKind = "pa_overtemp"
    public static let paSupply: EventKind = "pa_supply"
}
