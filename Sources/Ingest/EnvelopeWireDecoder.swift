/// Decodes `sensing.v1.Envelope` bytes straight into `CSIFields` and `PAFields`, in place (see
/// `WireReader`).
///
/// It follows protobuf's merge rules where they matter: of a oneof the last member wins, a
/// message field that appears twice is merged, scalars take the last value and repeated
/// fields append. Unknown fields are skipped, and so is a known field with the wrong wire type
/// (as swift-protobuf does: it keeps such a field among the unknown fields).
enum EnvelopeWireDecoder {
    enum Body {
        case none
        case csi(CSIFields)
        case ganPa(PAFields)
        case batch([Frame])
    }

    enum Frame {
        case none
        case csi(CSIFields)
        case ganPa(PAFields)
    }

    struct Envelope {
        var schemaVersion: UInt32 = 0
        var body = Body.none
    }

    static func envelope(_ bytes: UnsafeRawBufferPointer) throws(WireReader.WireError) -> Envelope {
        var reader = WireReader(bytes)
        var envelope = Envelope()
        while !reader.isAtEnd {
            let (field, type) = try reader.tag()
            switch (field, type) {
            case (1, .varint):
                envelope.schemaVersion = UInt32(truncatingIfNeeded: try reader.varint())
            case (2, .lengthDelimited):
                var fields = CSIFields()
                if case .csi(let existing) = envelope.body { fields = existing }
                try csiFrame(try reader.lengthDelimited(), into: &fields)
                envelope.body = .csi(fields)
            case (3, .lengthDelimited):
                var fields = PAFields()
                if case .ganPa(let existing) = envelope.body { fields = existing }
                try ganPaFrame(try reader.lengthDelimited(), into: &fields)
                envelope.body = .ganPa(fields)
            case (4, .lengthDelimited):
                var frames: [Frame] = []
                if case .batch(let existing) = envelope.body { frames = existing }
                try batch(try reader.lengthDelimited(), into: &frames)
                envelope.body = .batch(frames)
            default:
                try reader.skip(type)
            }
        }
        return envelope
    }

    private static func batch(_ bytes: UnsafeRawBufferPointer, into frames: inout [Frame]) throws(WireReader.WireError) {
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            let (field, type) = try reader.tag()
            switch (field, type) {
            case (1, .lengthDelimited):
                frames.append(try frame(try reader.lengthDelimited()))
            default:
                try reader.skip(type)
            }
        }
    }

    private static func frame(_ bytes: UnsafeRawBufferPointer) throws(WireReader.WireError) -> Frame {
        var reader = WireReader(bytes)
        var result = Frame.none
        while !reader.isAtEnd {
            let (field, type) = try reader.tag()
            switch (field, type) {
            case (1, .lengthDelimited):
                var fields = CSIFields()
                if case .csi(let existing) = result { fields = existing }
                try csiFrame(try reader.lengthDelimited(), into: &fields)
                result = .csi(fields)
            case (2, .lengthDelimited):
                var fields = PAFields()
                if case .ganPa(let existing) = result { fields = existing }
                try ganPaFrame(try reader.lengthDelimited(), into: &fields)
                result = .ganPa(fields)
            default:
                try reader.skip(type)
            }
        }
        return result
    }

    /// Field numbers and types as in Protos/sensing/v1/sensing.proto, message CsiFrame.
    static func csiFrame(_ bytes: UnsafeRawBufferPointer, into f: inout CSIFields) throws(WireReader.WireError) {
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            let (field, type) = try reader.tag()
            switch (field, type) {
            case (1, .lengthDelimited): f.deviceID = try reader.string(field: 1)
            case (2, .varint): f.sequence = UInt32(truncatingIfNeeded: try reader.varint())
            case (3, .varint): f.deviceTimestamp = UInt32(truncatingIfNeeded: try reader.varint())
            case (4, .varint): _ = try reader.varint()  // device_wall_time_us: not used by the pipeline yet
            case (5, .varint): f.receiveTime = Int64(bitPattern: try reader.varint())
            case (6, .varint): f.rssi = zigzag32(try reader.varint())
            case (7, .varint): f.noiseFloor = zigzag32(try reader.varint())
            case (8, .varint): f.channel = UInt32(truncatingIfNeeded: try reader.varint())
            case (9, .varint), (11, .varint), (12, .varint), (13, .varint), (17, .varint), (18, .varint):
                _ = try reader.varint()  // secondary channel, signal mode, MCS, antenna, gains
            case (10, .varint): f.bandwidth = Int(Int32(truncatingIfNeeded: try reader.varint()))
            case (14, .lengthDelimited): _ = try reader.lengthDelimited()  // source MAC
            case (15, .varint): f.layout = Int(Int32(truncatingIfNeeded: try reader.varint()))
            case (16, .varint): f.firstWordInvalid = try reader.varint() != 0
            case (19, .varint): f.invalidSubcarriers.append(UInt32(truncatingIfNeeded: try reader.varint()))
            case (19, .lengthDelimited):
                var packed = WireReader(try reader.lengthDelimited())
                while !packed.isAtEnd { f.invalidSubcarriers.append(UInt32(truncatingIfNeeded: try packed.varint())) }
            case (20, .lengthDelimited):
                let raw = try reader.lengthDelimited()
                f.values = .int8Pairs(Array(raw.assumingMemoryBound(to: Int8.self)))
            case (21, .lengthDelimited):
                var values: [Float] = []
                if case .complex(let existing) = f.values { values = existing }
                try complexFloats(try reader.lengthDelimited(), into: &values)
                f.values = .complex(values)
            default:
                try reader.skip(type)
            }
        }
    }

    /// Field numbers and types as in Protos/sensing/v1/sensing.proto, message GanPaFrame.
    static func ganPaFrame(_ bytes: UnsafeRawBufferPointer, into f: inout PAFields) throws(WireReader.WireError) {
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            let (field, type) = try reader.tag()
            switch (field, type) {
            case (1, .lengthDelimited): f.deviceID = try reader.string(field: 1)
            case (2, .varint): f.sequence = UInt32(truncatingIfNeeded: try reader.varint())
            case (3, .varint): f.deviceTimestamp = try reader.varint()
            case (4, .varint): f.receiveTime = Int64(bitPattern: try reader.varint())
            case (5, .fixed64): f.centerFrequencyHz = Double(bitPattern: try reader.fixed64())
            case (6, .fixed64): f.sampleRateHz = Double(bitPattern: try reader.fixed64())
            case (7, .varint): f.sampleCount = UInt32(truncatingIfNeeded: try reader.varint())
            case (8, .lengthDelimited): f.setIQ(try reader.lengthDelimited())
            case (9, .fixed32): f.iqFullScaleDbm = Float(bitPattern: try reader.fixed32())
            case (10, .fixed32): f.inputPowerDbm = Float(bitPattern: try reader.fixed32())
            case (11, .fixed32): f.forwardPowerDbm = Float(bitPattern: try reader.fixed32())
            case (12, .fixed32): f.reflectedPowerDbm = Float(bitPattern: try reader.fixed32())
            case (13, .fixed32): f.drainVoltage = Float(bitPattern: try reader.fixed32())
            case (14, .fixed32): f.drainCurrent = Float(bitPattern: try reader.fixed32())
            case (15, .fixed32): f.temperatureC = Float(bitPattern: try reader.fixed32())
            case (16, .fixed32): f.gainDb = Float(bitPattern: try reader.fixed32())
            default:
                try reader.skip(type)
            }
        }
    }

    private static func complexFloats(_ bytes: UnsafeRawBufferPointer, into values: inout [Float]) throws(WireReader.WireError) {
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            let (field, type) = try reader.tag()
            switch (field, type) {
            case (1, .fixed32):
                values.append(Float(bitPattern: try reader.fixed32()))
            case (1, .lengthDelimited):
                var packed = WireReader(try reader.lengthDelimited())
                while !packed.isAtEnd { values.append(Float(bitPattern: try packed.fixed32())) }
            default:
                try reader.skip(type)
            }
        }
    }

    /// sint32: the varint's low 32 bits, zigzag-decoded.
    private static func zigzag32(_ value: UInt64) -> Int32 {
        let raw = UInt32(truncatingIfNeeded: value)
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
}
