/// Protocol addresses as people type them: 0-65535 in decimal or 0x hex.
public enum ModbusAddress {
    public static func parse(_ text: String) -> UInt16? {
        let trimmed = String(text.lowercased().filter { $0 != " " })
        if trimmed.hasPrefix("0x") { return UInt16(trimmed.dropFirst(2), radix: 16) }
        return UInt16(trimmed)
    }
}
