import Foundation
import GatewayCore
import SensingProto

extension PbGanPaFrame {
    /// The wire form of a GaN PA frame (used by the simulator, capture writer and tests).
    /// `receiveTime` is written as `receive_time_us` (0 leaves it for the receiver to stamp).
    public init(_ frame: PAFrame, receiveTime: Int64 = 0) {
        self.init()
        deviceID = frame.device.rawValue
        sequence = frame.sequence
        deviceTimestampUs = frame.deviceTimestamp
        receiveTimeUs = receiveTime
        centerFrequencyHz = frame.centerFrequencyHz
        sampleRateHz = frame.sampleRateHz
        sampleCount = UInt32(frame.sampleCount)
        iqInt16 = frame.iq.withUnsafeBufferPointer { buffer in
            #if _endian(little)
            return Data(buffer: buffer)
            #else
            return Data(buffer.map(\.littleEndian).withUnsafeBufferPointer { Data(buffer: $0) })
            #endif
        }
        iqFullScaleDbm = frame.iqFullScaleDbm
        inputPowerDbm = frame.inputPowerDbm
        forwardPowerDbm = frame.forwardPowerDbm
        reflectedPowerDbm = frame.reflectedPowerDbm
        drainVoltageV = frame.drainVoltage
        drainCurrentA = frame.drainCurrent
        temperatureC = frame.temperatureC
        gainDb = frame.reportedGainDb.isNaN ? 0 : frame.reportedGainDb
    }
}

extension PbEnvelope {
    /// An envelope holding one GaN PA frame.
    public init(ganPa frame: PbGanPaFrame) {
        self.init()
        schemaVersion = 1
        ganPa = frame
    }
}
