import GatewayCore

/// Decodes the UDP payload Nexmon CSI firmware sends (to port 5500) into a frame.
///
/// Header (18 bytes, little-endian): magic 0x1111, int8 RSSI, uint8 frame control (current
/// firmware) or magic 0x11111111 (legacy firmware, no RSSI/FC); 6-byte source MAC; uint16
/// 802.11 sequence control; uint16 core (bits 0-2) / spatial stream (bits 3-5); uint16
/// chanspec; uint16 chip id. Then 64/128/256/512 four-byte CSI values for 20/40/80/160 MHz,
/// in FFT order; trailing bytes (some firmware pads by 4) are ignored.
///
/// Sources decode with `decode(_:timestamp:streams:)`, which names and numbers each stream
/// (see `NexmonStreams`) without allocating anything but the frame's values; the variant
/// without `streams` keeps the radio's 802.11 sequence number, for tools and tests.
public struct NexmonDecoder: Sendable {
    public static let port: UInt16 = 5500
    public static let headerSize = 18

    /// CSI value format per chip id; callers may add ids of other firmware builds.
    public var formats: [UInt16: NexmonCSIFormat]

    public init(formats: [UInt16: NexmonCSIFormat] = NexmonCSIFormat.byChip) {
        self.formats = formats
    }

    /// Why a payload could not be decoded; `detail` goes into a malformed-record reason.
    public struct Failure: Error, Sendable, Equatable {
        public var detail: String
    }

    /// The header fields, for tools that inspect captures.
    public struct Header: Sendable, Equatable {
        public var legacy: Bool
        public var rssi: Int8
        public var frameControl: UInt8
        public var mac: [UInt8]
        /// The raw 802.11 sequence control field (sequence number << 4 | fragment number).
        public var sequenceControl: UInt16
        public var core: Int
        public var spatialStream: Int
        public var chanspec: NexmonChanspec
        public var chip: UInt16

        public var sequenceNumber: UInt16 { sequenceControl >> 4 }

        /// The MAC, plus "/c<core>s<stream>" when either is non-zero, so each stream is a series.
        public var deviceID: DeviceID { NexmonDecoder.deviceID(mac: mac, core: core, spatialStream: spatialStream) }
    }

    /// The header as read from the payload, without copies (the hot path's view of it).
    struct RawHeader {
        var legacy: Bool
        var rssi: Int8
        var frameControl: UInt8
        /// The six MAC bytes, first byte lowest.
        var macBits: UInt64
        var sequenceControl: UInt16
        /// Core (bits 0-2) and spatial stream (bits 3-5).
        var coreAndStream: UInt16
        var chanspec: NexmonChanspec
        var chip: UInt16

        var core: Int { Int(coreAndStream & 0x7) }
        var spatialStream: Int { Int((coreAndStream >> 3) & 0x7) }
        /// MAC, core and spatial stream in one integer: the key of `NexmonStreams`.
        var streamKey: UInt64 { macBits | UInt64(coreAndStream & 0x3F) << 48 }

        var macBytes: [UInt8] { (0..<6).map { UInt8(truncatingIfNeeded: macBits >> (8 * $0)) } }
        var deviceID: DeviceID { NexmonDecoder.deviceID(mac: macBytes, core: core, spatialStream: spatialStream) }
    }

    public func decode(_ payload: [UInt8], timestamp: Int64) throws(Failure) -> CSIFrame {
        let result = payload.withUnsafeBytes { bytes in Result { () throws(Failure) in try decode(bytes, timestamp: timestamp) } }
        return try result.get()
    }

    /// Decodes one payload; `timestamp` (Unix µs, the capture time) becomes the frame's time and
    /// the 802.11 sequence number the frame's sequence.
    public func decode(_ bytes: UnsafeRawBufferPointer, timestamp: Int64) throws(Failure) -> CSIFrame {
        let header = try Self.rawHeader(bytes)
        let shape = try shape(of: bytes, header: header)
        return frame(bytes, header: header, shape: shape, timestamp: timestamp, device: header.deviceID,
                     sequence: UInt32(header.sequenceControl >> 4))
    }

    /// Decodes one payload, naming the frame's device and numbering it within its stream.
    public func decode(_ bytes: UnsafeRawBufferPointer, timestamp: Int64, streams: inout NexmonStreams) throws(Failure) -> CSIFrame {
        let header = try Self.rawHeader(bytes)
        let shape = try shape(of: bytes, header: header)
        let stream = streams.take(header.streamKey) { header.deviceID }
        return frame(bytes, header: header, shape: shape, timestamp: timestamp, device: stream.device, sequence: stream.number)
    }

    /// The value format and bandwidth of a payload, once the chip, chanspec and length are checked.
    private struct Shape {
        var format: NexmonCSIFormat
        var bandwidth: Bandwidth
        var count: Int
    }

    private func shape(of bytes: UnsafeRawBufferPointer, header: RawHeader) throws(Failure) -> Shape {
        guard let format = formats[header.chip] else {
            throw Failure(detail: "Nexmon CSI from unknown chip id 0x\(String(header.chip, radix: 16)); supported: \(formats.keys.sorted().map { "0x" + String($0, radix: 16) }.joined(separator: ", "))")
        }
        guard let bandwidth = header.chanspec.bandwidth, let count = header.chanspec.subcarrierCount else {
            throw Failure(detail: "Nexmon chanspec \(header.chanspec) has an unknown bandwidth")
        }
        let needed = Self.headerSize + 4 * count
        guard bytes.count >= needed else {
            throw Failure(detail: "Nexmon CSI payload of \(bytes.count) bytes is shorter than the \(needed) bytes \(bandwidth.rawValue) MHz needs")
        }
        return Shape(format: format, bandwidth: bandwidth, count: count)
    }

    private func frame(_ bytes: UnsafeRawBufferPointer, header: RawHeader, shape: Shape, timestamp: Int64,
                       device: DeviceID, sequence: UInt32) -> CSIFrame {
        CSIFrame(
            device: device, sequence: sequence, timestamp: timestamp,
            rssi: Int16(header.rssi), channel: header.chanspec.channel, bandwidth: shape.bandwidth, layout: .fft,
            invalidSubcarriers: NexmonCSIFormat.overwrittenBins(chip: header.chip, subcarriers: shape.count),
            payload: .complex(shape.format.unpack(bytes, offset: Self.headerSize, count: shape.count)))
    }

    /// Reads the 18-byte header, checking the magic.
    public static func header(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> Header {
        let raw = try rawHeader(bytes)
        return Header(
            legacy: raw.legacy, rssi: raw.rssi, frameControl: raw.frameControl, mac: raw.macBytes,
            sequenceControl: raw.sequenceControl, core: raw.core, spatialStream: raw.spatialStream,
            chanspec: raw.chanspec, chip: raw.chip)
    }

    static func rawHeader(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> RawHeader {
        guard bytes.count >= headerSize else {
            throw Failure(detail: "Nexmon CSI payload of \(bytes.count) bytes is shorter than its \(headerSize)-byte header")
        }
        guard bytes[0] == 0x11, bytes[1] == 0x11 else {
            throw Failure(detail: "payload does not start with the Nexmon magic 0x1111 (found 0x\(hex(bytes[0]))\(hex(bytes[1])))")
        }
        let legacy = bytes[2] == 0x11 && bytes[3] == 0x11
        func u16(_ offset: Int) -> UInt16 { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) }
        // Bytes 4..<10 are the MAC: load 8 bytes from 4 and keep the low six.
        let macBits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt64.self)) & 0xFFFF_FFFF_FFFF
        return RawHeader(
            legacy: legacy,
            rssi: legacy ? 0 : Int8(bitPattern: bytes[2]),
            frameControl: legacy ? 0 : bytes[3],
            macBits: macBits, sequenceControl: u16(10), coreAndStream: u16(12),
            chanspec: NexmonChanspec(rawValue: u16(14)), chip: u16(16))
    }

    /// "aa:bb:cc:dd:ee:ff", plus "/c<core>s<stream>" when either is non-zero.
    static func deviceID(mac: [UInt8], core: Int, spatialStream: Int) -> DeviceID {
        let id = DeviceID.mac(mac)
        guard core != 0 || spatialStream != 0 else { return id }
        return DeviceID("\(id.rawValue)/c\(core & 7)s\(spatialStream & 7)")
    }

    private static func hex(_ byte: UInt8) -> String {
        byte < 0x10 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
    }
}
