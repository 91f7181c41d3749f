import TestPeers
import Foundation
import GatewayCore
import Ingest
import SensingProto

/// Builders for wire frames used across the Ingest tests.
enum TestFrames {
    static func csi(device: String = "esp32-a", sequence: UInt32 = 0, pairs: Int = 64,
                    layout: PbSubcarrierLayout = .lltf, receiveTime: Int64 = 0) -> PbCsiFrame {
        var frame = PbCsiFrame()
        frame.deviceID = device
        frame.sequence = sequence
        frame.rssiDbm = -50
        frame.channel = 6
        frame.bandwidth = .bandwidth20Mhz
        frame.layout = layout
        frame.receiveTimeUs = receiveTime
        frame.int8Pairs = Data((0..<(pairs * 2)).map { UInt8(truncatingIfNeeded: $0 * 7) })
        return frame
    }

    static func envelope(_ frame: PbCsiFrame) -> [UInt8] {
        (try? PbEnvelope(csi: frame).serializedBytes()) ?? []
    }

    static func batch(_ frames: [PbCsiFrame]) -> [UInt8] {
        var batch = PbFrameBatch()
        batch.frames = frames.map { csi in
            var frame = PbFrame()
            frame.csi = csi
            return frame
        }
        var envelope = PbEnvelope()
        envelope.schemaVersion = 1
        envelope.batch = batch
        return (try? envelope.serializedBytes()) ?? []
    }
}
