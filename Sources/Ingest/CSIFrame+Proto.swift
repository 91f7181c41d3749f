import Foundation
import GatewayCore
import SensingProto

extension PbCsiFrame {
    /// The wire form of a gateway frame (used by the simulator, capture writer and tests).
    /// `receiveTime` is written as `receive_time_us` (0 leaves it for the receiver to stamp).
    public init(_ frame: CSIFrame, receiveTime: Int64 = 0, wallTime: Int64 = 0) {
        self.init()
        deviceID = frame.device.rawValue
        sequence = frame.sequence
        deviceTimestampUs = frame.deviceTimestamp
        deviceWallTimeUs = wallTime
        receiveTimeUs = receiveTime
        rssiDbm = Int32(frame.rssi)
        noiseFloorDbm = Int32(frame.noiseFloor)
        channel = UInt32(frame.channel)
        bandwidth = PbBandwidth(frame.bandwidth)
        layout = PbSubcarrierLayout(frame.layout)
        firstWordInvalid = frame.firstWordInvalid
        invalidSubcarriers = frame.invalidSubcarriers.map { UInt32($0) }
        switch frame.payload {
        case .int8Pairs(let values):
            int8Pairs = values.withUnsafeBytes { Data($0) }
        case .complex(let values):
            var complexValues = PbComplexFloats()
            complexValues.values = values
            complex = complexValues
        }
    }
}

extension PbEnvelope {
    /// An envelope holding one CSI frame.
    public init(csi frame: PbCsiFrame) {
        self.init()
        schemaVersion = 1
        csi = frame
    }
}
