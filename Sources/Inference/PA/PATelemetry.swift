import GatewayCore

/// Averages one PA's measurements over `telemetryIntervalSeconds` and emits them as telemetry
/// samples (source = the device id), so the store keeps a steady, small record whatever the
/// frame rate: means of every quantity, plus the interval's worst VSWR and the frame count.
struct PATelemetry: Sendable {
    /// Point names, units, and how each is read from a measurement (nil: not measured).
    static let points: [(name: String, unit: String, read: @Sendable (PAMeasurement) -> Double?)] = [
        ("forward_power", "dBm", { $0.forwardPowerDbm }),
        ("reflected_power", "dBm", { $0.reflectedPowerDbm }),
        ("input_power", "dBm", { $0.inputPowerDbm }),
        ("return_loss", "dB", { $0.returnLossDb }),
        ("vswr", "ratio", { $0.vswr }),
        ("gain", "dB", { $0.gainDb }),
        ("compression", "dB", { $0.compressionDb }),
        ("drain_efficiency", "%", { $0.drainEfficiency.map { $0 * 100 } }),
        ("rms_power", "dBm", { $0.rmsPowerDbm }),
        ("peak_power", "dBm", { $0.peakPowerDbm }),
        ("papr", "dB", { $0.paprDb }),
        ("acpr", "dBc", { $0.acprDb }),
        ("temperature", "degC", { $0.temperatureC }),
        ("drain_voltage", "V", { $0.drainVoltage }),
        ("drain_current", "A", { $0.drainCurrent }),
    ]

    private let source: String
    private let interval: Int64
    private var start: Int64?
    private var sums = [Double](repeating: 0, count: points.count)
    private var counts = [Int](repeating: 0, count: points.count)
    private var frames = 0
    private var worstVSWR = 0.0

    init(device: DeviceID, intervalSeconds: Double) {
        source = device.rawValue
        interval = max(1, Int64(intervalSeconds * 1_000_000))
    }

    mutating func add(_ m: PAMeasurement, trend: Double, into out: inout [TelemetrySample]) {
        if let s = start, m.time >= s + interval {
            flush(at: s + interval, trend: trend, into: &out)
        }
        if start == nil { start = m.time }
        for (i, point) in Self.points.enumerated() {
            if let value = point.read(m), value.isFinite {
                sums[i] += value
                counts[i] += 1
            }
        }
        frames += 1
        worstVSWR = max(worstVSWR, m.vswr)
    }

    /// Emits the interval's means, stamped with the interval's end.
    mutating func flush(at time: Int64, trend: Double, into out: inout [TelemetrySample]) {
        guard frames > 0 else { return }
        for (i, point) in Self.points.enumerated() where counts[i] > 0 {
            out.append(TelemetrySample(source: source, point: point.name, value: .number(sums[i] / Double(counts[i])),
                                       unit: point.unit, time: time))
        }
        out.append(TelemetrySample(source: source, point: "vswr_max", value: .number(worstVSWR), unit: "ratio", time: time))
        out.append(TelemetrySample(source: source, point: "temperature_trend", value: .number(trend), unit: "degC/min", time: time))
        out.append(TelemetrySample(source: source, point: "frames", value: .integer(Int64(frames)), time: time))
        for i in sums.indices { sums[i] = 0; counts[i] = 0 }
        frames = 0
        worstVSWR = 0
        start = nil
    }
}
