import Foundation
import SensingProto

/// One `CsiFrame` as it came off the wire, before validation. Both decoders fill it (the fast
/// `EnvelopeWireDecoder` and the swift-protobuf path), so they share one set of checks.
struct CSIFields {
    enum Values {
        case none
        case int8Pairs([Int8])
        case complex([Float])
    }

    var deviceID = ""
    var sequence: UInt32 = 0
    var deviceTimestamp: UInt32 = 0
    var receiveTime: Int64 = 0
    var rssi: Int32 = 0
    var noiseFloor: Int32 = 0
    var channel: UInt32 = 0
    var bandwidth = 0
    var layout = 0
    var firstWordInvalid = false
    var invalidSubcarriers: [UInt32] = []
    var values = Values.none

    init() {}

    init(_ pb: PbCsiFrame) {
        deviceID = pb.deviceID
        sequence = pb.sequence
        deviceTimestamp = pb.deviceTimestampUs
        receiveTime = pb.receiveTimeUs
        rssi = pb.rssiDbm
        noiseFloor = pb.noiseFloorDbm
        channel = pb.channel
        bandwidth = pb.bandwidth.rawValue
        layout = pb.layout.rawValue
        firstWordInvalid = pb.firstWordInvalid
        invalidSubcarriers = pb.invalidSubcarriers
        switch pb.csi {
        case .int8Pairs(let data): values = .int8Pairs(data.withUnsafeBytes { Array($0.bindMemory(to: Int8.self)) })
        case .complex(let c): values = .complex(c.values)
        case nil: values = .none
        }
    }
}
