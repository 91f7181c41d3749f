/// The stable name of a sensing node or machine, as it appears in events, metrics and the store.
///
/// Sources choose the name: our firmware sends it in every frame; other sources derive it from a
/// MAC address, a topic or the configured name of a serial port or machine.
public struct DeviceID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// A device id made from a MAC address, "aa:bb:cc:dd:ee:ff". Called per frame by some
    /// decoders, so it writes the text directly instead of formatting each byte.
    public static func mac<Bytes: Collection>(_ bytes: Bytes) -> DeviceID where Bytes.Element == UInt8 {
        let digits: StaticString = "0123456789abcdef"
        let length = max(0, bytes.count * 3 - 1)
        let text = String(unsafeUninitializedCapacity: length) { buffer in
            digits.withUTF8Buffer { hex in
                var i = 0
                for byte in bytes {
                    if i > 0 {
                        buffer[i] = UInt8(ascii: ":")
                        i += 1
                    }
                    buffer[i] = hex[Int(byte >> 4)]
                    buffer[i + 1] = hex[Int(byte & 0x0f)]
                    i += 2
                }
                return i
            }
        }
        return DeviceID(text)
    }
}
