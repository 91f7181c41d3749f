import Foundation
import GatewayCore
import SensingProto

/// The bytes a log entry's leaf hash covers: a `LogEntry` protobuf (Protos/sensing/v1), fields
/// in number order with no unknown fields, so the same record always gives the same bytes.
enum LogEntryEncoding {
    static func event(_ event: SensingEvent, sequence: UInt64, receivedAt: Int64) throws -> [UInt8] {
        var message = PbSensingEvent()
        message.id = event.id
        message.deviceID = event.device.rawValue
        message.kind = event.kind.rawValue
        message.confidence = Float(event.confidence)
        message.startTimeUs = event.start
        message.endTimeUs = event.end ?? 0
        message.modelVersion = event.modelVersion
        message.features = event.features.map { feature in
            var pb = PbFeature()
            pb.name = feature.name
            pb.value = feature.value
            return pb
        }
        var entry = PbLogEntry()
        entry.source = event.device.rawValue
        entry.sourceSequence = sequence
        entry.receiveTimeUs = receivedAt
        entry.event = message
        return try entry.serializedBytes()
    }

    static func energySignature(_ signature: EnergySignature, sequence: UInt64, receivedAt: Int64) throws -> [UInt8] {
        var entry = PbLogEntry()
        entry.source = signature.device.rawValue
        entry.sourceSequence = sequence
        entry.receiveTimeUs = receivedAt
        entry.energySignature = PbEnergySignature(signature)
        return try entry.serializedBytes()
    }

    static func telemetry(_ sample: TelemetrySample, sequence: UInt64, receivedAt: Int64) throws -> [UInt8] {
        var entry = PbLogEntry()
        entry.source = sample.source
        entry.sourceSequence = sequence
        entry.receiveTimeUs = receivedAt
        entry.telemetry = PbTelemetrySample(sample)
        return try entry.serializedBytes()
    }
}

extension PbTelemetrySample {
    init(_ sample: TelemetrySample) {
        self.init()
        source = sample.source
        point = sample.point
        switch sample.value {
        case .number(let value): number = value
        case .integer(let value): integer = value
        case .boolean(let value): boolean = value
        case .text(let value): text = value
        }
        unit = sample.unit
        quality = switch sample.quality {
        case .good: .good
        case .uncertain: .uncertain
        case .bad: .bad
        }
        timeUs = sample.time
    }
}

extension PbEnergySignature {
    init(_ signature: EnergySignature) {
        self.init()
        deviceID = signature.device.rawValue
        energy = signature.energy
        energyRate = signature.energyRate
        entropy = signature.entropy
        startTimeUs = signature.start
        endTimeUs = signature.end
        windows = UInt32(clamping: signature.windows)
    }
}
