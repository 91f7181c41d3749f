/// One I/Q block captured from a GaN power amplifier's output coupler, with the PA's telemetry
/// (`sensing.v1.GanPaFrame`), after the gateway checked that every value is physically possible.
public struct PAFrame: Sendable, Equatable {
    public var device: DeviceID
    /// Per-device sequence number as the node sent it (wraps at 2^32).
    public var sequence: UInt32
    /// Gateway time base, Unix microseconds.
    public var timestamp: Int64
    /// The node's own microsecond counter.
    public var deviceTimestamp: UInt64
    public var centerFrequencyHz: Double
    public var sampleRateHz: Double
    /// Interleaved (I, Q) int16 pairs: `iq.count == 2 * sampleCount`.
    public var iq: [Int16]
    /// Power of a full-scale complex sample (|I + jQ| = 32767) at the coupler port, in dBm.
    public var iqFullScaleDbm: Float
    public var inputPowerDbm: Float
    public var forwardPowerDbm: Float
    public var reflectedPowerDbm: Float
    public var drainVoltage: Float
    public var drainCurrent: Float
    public var temperatureC: Float
    /// The PA's own gain reading; NaN when the node does not report it (0 on the wire).
    public var reportedGainDb: Float

    public init(
        device: DeviceID, sequence: UInt32, timestamp: Int64, deviceTimestamp: UInt64 = 0,
        centerFrequencyHz: Double, sampleRateHz: Double, iq: [Int16], iqFullScaleDbm: Float,
        inputPowerDbm: Float, forwardPowerDbm: Float, reflectedPowerDbm: Float,
        drainVoltage: Float, drainCurrent: Float, temperatureC: Float, reportedGainDb: Float = .nan
    ) {
        self.device = device
        self.sequence = sequence
        self.timestamp = timestamp
        self.deviceTimestamp = deviceTimestamp
        self.centerFrequencyHz = centerFrequencyHz
        self.sampleRateHz = sampleRateHz
        self.iq = iq
        self.iqFullScaleDbm = iqFullScaleDbm
        self.inputPowerDbm = inputPowerDbm
        self.forwardPowerDbm = forwardPowerDbm
        self.reflectedPowerDbm = reflectedPowerDbm
        self.drainVoltage = drainVoltage
        self.drainCurrent = drainCurrent
        self.temperatureC = temperatureC
        self.reportedGainDb = reportedGainDb
    }

    /// Complex samples in the block.
    public var sampleCount: Int { iq.count / 2 }

    public static func == (a: PAFrame, b: PAFrame) -> Bool {
        a.device == b.device && a.sequence == b.sequence && a.timestamp == b.timestamp
            && a.deviceTimestamp == b.deviceTimestamp && a.centerFrequencyHz == b.centerFrequencyHz
            && a.sampleRateHz == b.sampleRateHz && a.iq == b.iq && a.iqFullScaleDbm == b.iqFullScaleDbm
            && a.inputPowerDbm == b.inputPowerDbm && a.forwardPowerDbm == b.forwardPowerDbm
            && a.reflectedPowerDbm == b.reflectedPowerDbm && a.drainVoltage == b.drainVoltage
            && a.drainCurrent == b.drainCurrent && a.temperatureC == b.temperatureC
            && (a.reportedGainDb == b.reportedGainDb || (a.reportedGainDb.isNaN && b.reportedGainDb.isNaN))
    }
}

/// A frame of either kind, as the ingest queue and the pipeline carry it.
public enum SensorFrame: Sendable, Equatable {
    case csi(CSIFrame)
    case pa(PAFrame)

    public var device: DeviceID {
        switch self {
        case .csi(let frame): return frame.device
        case .pa(let frame): return frame.device
        }
    }

    public var timestamp: Int64 {
        switch self {
        case .csi(let frame): return frame.timestamp
        case .pa(let frame): return frame.timestamp
        }
    }
}
