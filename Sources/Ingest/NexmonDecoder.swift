import GatewayCore

/// Decodes the UDP payload Nexmon CSI firmware sends (to port 5500) into a frame.
///
/// Header (18 bytes, little-endian): magic 0x1111, int8 RSSI, uint8 frame control (current
/// firmware) or magic 0x11111111 (legacy firmware, no RSSI/FC); 6-byte source MAC; uint16
/// 802.11 sequence control; uint16 core (bits 0-2) / spatial stream (bits 3-5); uint16
/// chanspec; uint16 chip id. Then 64/128/256/512 four-byte CSI values for 20/40/80/160 MHz,
/// in FFT order; trailing bytes (some firmware pads by 4) are ignored.
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
        public var deviceID: DeviceID {
            let id = DeviceID.mac(mac)
            guard core != 0 || spatialStream != 0 else { return id }
            // Built by hand: this runs per frame, and integer interpolation showed in profiles.
            var text = id.rawValue
            text.unicodeScalars.append(contentsOf: ["/", "c"])
            text.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: "0") + UInt8(core & 7)))
            text.unicodeScalars.append("s")
            text.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: "0") + UInt8(spatialStream & 7)))
            return DeviceID(text)
        }
    }

    public func decode(_ payload: [UInt8], timestamp: Int64) throws(Failure) -> CSIFrame {
        let result = payload.withUnsafeBytes { bytes in Result { () throws(Failure) in try decode(bytes, timestamp: timestamp) } }
        return try result.get()
    }

    /// Decodes one payload; `timestamp` (Unix µs, the capture time) becomes the frame's time.
    public func decode(_ bytes: UnsafeRawBufferPointer, timestamp: Int64) throws(Failure) -> CSIFrame {
        let header = try Self.header(bytes)
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
        let values = format.unpack(bytes, offset: Self.headerSize, count: count)
        return CSIFrame(
            device: header.deviceID, sequence: UInt32(header.sequenceNumber), timestamp: timestamp,
            rssi: Int16(header.rssi), channel: header.chanspec.channel, bandwidth: bandwidth, layout: .fft,
            invalidSubcarriers: NexmonCSIFormat.overwrittenBins(chip: header.chip, subcarriers: count),
            payload: .complex(values))
    }

    /// Reads the 18-byte header, checking the magic.
    public static func header(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> Header {
        guard bytes.count >= headerSize else {
            throw Failure(detail: "Nexmon CSI payload of \(bytes.count) bytes is shorter than its \(headerSize)-byte header")
        }
        guard bytes[0] == 0x11, bytes[1] == 0x11 else {
            throw Failure(detail: "payload does not start with the Nexmon magic 0x1111 (found 0x\(hex(bytes[0]))\(hex(bytes[1])))")
        }
        let legacy = bytes[2] == 0x11 && bytes[3] == 0x11
        func u16(_ offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }
        let css = u16(12)
        return Header(
            legacy: legacy,
            rssi: legacy ? 0 : Int8(bitPattern: bytes[2]),
            frameControl: legacy ? 0 : bytes[3],
            mac: Array(bytes[4..<10]),
            sequenceControl: u16(10),
            core: Int(css & 0x7), spatialStream: Int((css >> 3) & 0x7),
            chanspec: NexmonChanspec(rawValue: u16(14)),
            chip: u16(16))
    }

    private static func hex(_ byte: UInt8) -> String {
        byte < 0x10 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
    }
}
