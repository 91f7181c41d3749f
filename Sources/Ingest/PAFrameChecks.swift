import GatewayCore

/// The checks every GaN PA frame passes, whichever decoder read it: the I/Q block holds exactly
/// `sample_count` int16 pairs, every number is finite, and every reading is one a real
/// amplifier can produce. The limits are wide on purpose (they catch unit mix-ups and broken
/// sensors, not unusual hardware); health thresholds are the detector's job.
enum PAFrameChecks {
    /// Largest I/Q block accepted, in complex samples (256 KiB of int16 pairs).
    static let maxSamples: UInt32 = 65_536
    static let frequencyHz = 1e3...1e11
    static let sampleRateHz = 1e3...1e10
    static let powerDbm: ClosedRange<Float> = -150...90
    static let fullScaleDbm: ClosedRange<Float> = -100...90
    static let drainVoltage: ClosedRange<Float> = 0...200
    static let drainCurrent: ClosedRange<Float> = 0...100
    static let temperatureC: ClosedRange<Float> = -60...250
    static let gainDb: ClosedRange<Float> = -50...80
    /// Couplers are not perfect: reflected may read this much above forward at a full reflection.
    static let reflectionToleranceDb: Float = 0.5

    static func validate(_ f: PAFields, receivedAt: Int64) -> Result<PAFrame, MalformedReason> {
        let id = f.deviceID
        guard !id.isEmpty else { return .failure(.missingDeviceID) }
        guard id.utf8.count <= 64 else { return .failure(.deviceIDTooLong(length: id.utf8.count)) }
        guard f.sampleCount > 0, f.sampleCount <= maxSamples, f.iqBytes == Int(f.sampleCount) * 4 else {
            return .failure(.paSampleCount(device: id, declared: f.sampleCount, bytes: f.iqBytes))
        }
        // One call per field, no array: this runs for every frame at tens of thousands per second.
        if let problem = check(f.centerFrequencyHz, "center_frequency_hz", frequencyHz, id)
            ?? check(f.sampleRateHz, "sample_rate_hz", sampleRateHz, id)
            ?? check(f.iqFullScaleDbm, "iq_full_scale_dbm", fullScaleDbm, id)
            ?? check(f.inputPowerDbm, "input_power_dbm", powerDbm, id)
            ?? check(f.forwardPowerDbm, "forward_power_dbm", powerDbm, id)
            ?? check(f.reflectedPowerDbm, "reflected_power_dbm", powerDbm, id)
            ?? check(f.drainVoltage, "drain_voltage_v", drainVoltage, id)
            ?? check(f.drainCurrent, "drain_current_a", drainCurrent, id)
            ?? check(f.temperatureC, "temperature_c", temperatureC, id)
            ?? check(f.gainDb, "gain_db", gainDb, id) {
            return .failure(problem)
        }
        guard f.reflectedPowerDbm <= f.forwardPowerDbm + reflectionToleranceDb else {
            return .failure(.paReflectedAboveForward(device: id, forwardDbm: f.forwardPowerDbm, reflectedDbm: f.reflectedPowerDbm))
        }
        return .success(PAFrame(
            device: DeviceID(id), sequence: f.sequence, timestamp: f.receiveTime != 0 ? f.receiveTime : receivedAt,
            deviceTimestamp: f.deviceTimestamp, centerFrequencyHz: f.centerFrequencyHz, sampleRateHz: f.sampleRateHz,
            iq: f.iq, iqFullScaleDbm: f.iqFullScaleDbm, inputPowerDbm: f.inputPowerDbm,
            forwardPowerDbm: f.forwardPowerDbm, reflectedPowerDbm: f.reflectedPowerDbm,
            drainVoltage: f.drainVoltage, drainCurrent: f.drainCurrent, temperatureC: f.temperatureC,
            reportedGainDb: f.gainDb == 0 ? .nan : f.gainDb))
    }

    private static func check<V: BinaryFloatingPoint>(_ value: V, _ field: String, _ range: ClosedRange<V>, _ device: String) -> MalformedReason? {
        guard value.isFinite else { return .paNonFinite(device: device, field: field) }
        guard range.contains(value) else {
            return .paOutOfRange(device: device, field: field, value: Double(value), allowed: "\(range.lowerBound)...\(range.upperBound)")
        }
        return nil
    }
}
