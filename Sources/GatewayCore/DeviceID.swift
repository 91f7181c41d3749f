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

    /// A device id made from a 6-byte MAC address, "aa:bb:cc:dd:ee:ff".
    public static func mac<Bytes: Collection>(_ bytes: Bytes) -> DeviceID where Bytes.Element == UInt8 {
        DeviceID(bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":"))
    }
}
