/// Coil and discrete-input packing: 8 bits per byte, lowest address in the lowest bit.
public enum ModbusBits {
    public static func pack(_ values: [Bool]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (values.count + 7) / 8)
        for (index, value) in values.enumerated() where value {
            bytes[index / 8] |= 1 << UInt8(index % 8)
        }
        return bytes
    }

    public static func unpack(_ bytes: ArraySlice<UInt8>, count: Int) -> [Bool] {
        var values = [Bool](repeating: false, count: count)
        let start = bytes.startIndex
        for index in 0..<count where start + index / 8 < bytes.endIndex {
            values[index] = bytes[start + index / 8] & (1 << UInt8(index % 8)) != 0
        }
        return values
    }
}
