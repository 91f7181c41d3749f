import SensingProto

/// One `GanPaFrame` as it came off the wire, before validation. Both decoders fill it (the fast
/// `EnvelopeWireDecoder` and the swift-protobuf path), so they share one set of checks
/// (`PAFrameChecks`).
struct PAFields {
    var deviceID = ""
    var sequence: UInt32 = 0
    var deviceTimestamp: UInt64 = 0
    var receiveTime: Int64 = 0
    var centerFrequencyHz = 0.0
    var sampleRateHz = 0.0
    var sampleCount: UInt32 = 0
    /// Little-endian int16 pairs as sent.
    var iq: [Int16] = []
    /// Bytes of `iq_int16` as sent (an odd count cannot be split into int16 values).
    var iqBytes = 0
    var iqFullScaleDbm: Float = 0
    var inputPowerDbm: Float = 0
    var forwardPowerDbm: Float = 0
    var reflectedPowerDbm: Float = 0
    var drainVoltage: Float = 0
    var drainCurrent: Float = 0
    var temperatureC: Float = 0
    var gainDb: Float = 0

    init() {}

    init(_ pb: PbGanPaFrame) {
        deviceID = pb.deviceID
        sequence = pb.sequence
        deviceTimestamp = pb.deviceTimestampUs
        receiveTime = pb.receiveTimeUs
        centerFrequencyHz = pb.centerFrequencyHz
        sampleRateHz = pb.sampleRateHz
        sampleCount = pb.sampleCount
        pb.iqInt16.withUnsafeBytes { setIQ($0) }
        iqFullScaleDbm = pb.iqFullScaleDbm
        inputPowerDbm = pb.inputPowerDbm
        forwardPowerDbm = pb.forwardPowerDbm
        reflectedPowerDbm = pb.reflectedPowerDbm
        drainVoltage = pb.drainVoltageV
        drainCurrent = pb.drainCurrentA
        temperatureC = pb.temperatureC
        gainDb = pb.gainDb
    }

    /// Copies the block's bytes as little-endian int16 values.
    mutating func setIQ(_ raw: UnsafeRawBufferPointer) {
        iqBytes = raw.count
        let count = raw.count / 2
        iq = [Int16](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress, let source = raw.baseAddress, count > 0 {
                UnsafeMutableRawPointer(base).copyMemory(from: source, byteCount: count * 2)
            }
            initialized = count
        }
        #if _endian(big)
        for i in iq.indices { iq[i] = Int16(littleEndian: iq[i]) }
        #endif
    }
}
