import GatewayCore

/// One numpy `.npy` array: the header (magic `\x93NUMPY`, version, a dict with `descr`,
/// `fortran_order` and `shape`) parsed by hand, the data kept as little-endian bytes.
///
/// Supported dtypes: `|i1`/`<i1`, `|u1`, `|b1`, `<i2`/`<i4`/`<i8`, `<f4`/`<f8` and `<U..`
/// (UTF-32 strings); enough for ESPectre captures. Other dtypes parse but give nil values.
public struct NPYArray: Sendable {
    public enum DType: Sendable, Equatable {
        case int(bytes: Int)
        case uint(bytes: Int)
        case float(bytes: Int)
        case bool
        case unicode(characters: Int)
        case other(String)

        var itemSize: Int {
            switch self {
            case .int(let bytes), .uint(let bytes), .float(let bytes): return bytes
            case .bool: return 1
            case .unicode(let characters): return characters * 4
            case .other: return 0
            }
        }
    }

    public let dtype: DType
    public let shape: [Int]
    public let fortranOrder: Bool
    /// The array's raw bytes (little-endian), `shape.product * itemSize` long.
    public let data: [UInt8]

    public var elementCount: Int { shape.reduce(1, *) }

    /// Parses a whole `.npy` file; `name` is used in error messages.
    public init(bytes: [UInt8], name: String) throws {
        func fail(_ detail: String) -> GatewayError {
            GatewayError(.malformedInput, "\(name): \(detail); the file is not a valid numpy .npy array")
        }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("missing \\x93NUMPY magic") }
        let major = bytes[6]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("header cut short") }
            headerStart = 12
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw fail("unsupported .npy version \(major)")
        }
        guard headerLength <= bytes.count - headerStart else { throw fail("header cut short") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = NPYHeader.string(after: "'descr'", in: header) else { throw fail("header has no descr") }
        guard let shape = NPYHeader.shape(in: header) else { throw fail("header has no valid shape") }
        let dtype = NPYHeader.dtype(descr)
        if case .other = dtype {
            self.dtype = dtype
        } else {
            guard descr.first != ">" || dtype.itemSize == 1 || dtype == .bool else {
                throw fail("big-endian dtype \(descr) is not supported")
            }
            self.dtype = dtype
        }
        self.shape = shape
        fortranOrder = header.contains("'fortran_order': True")
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw fail("shape \(shape) is too large") }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: self.dtype.itemSize)
        let dataStart = headerStart + headerLength
        guard !overflow, byteCount <= bytes.count - dataStart else {
            throw fail("data holds \(bytes.count - dataStart) bytes but shape \(shape) needs \(byteCount) (file cut short?)")
        }
        data = Array(bytes[dataStart..<(dataStart + byteCount)])
    }

    /// The values of an int8 array in C order, or nil for other dtypes.
    public func int8Values() -> [Int8]? {
        guard dtype == .int(bytes: 1) else { return nil }
        return data.map { Int8(bitPattern: $0) }
    }

    /// The first element as an integer (int, uint or bool dtypes).
    public var scalarInt: Int64? {
        guard elementCount >= 1 else { return nil }
        switch dtype {
        case .int(let size): return signed(size)
        case .uint(let size) where size <= 4: return Int64(unsigned(size))
        case .uint(8): return Int64(exactly: unsigned(8))
        case .bool: return data[0] == 0 ? 0 : 1
        default: return nil
        }
    }

    /// The first element as a Double (float or integer dtypes).
    public var scalarDouble: Double? {
        guard elementCount >= 1 else { return nil }
        switch dtype {
        case .float(4): return Double(Float(bitPattern: UInt32(truncatingIfNeeded: unsigned(4))))
        case .float(8): return Double(bitPattern: unsigned(8))
        default: return scalarInt.map(Double.init)
        }
    }

    public var scalarBool: Bool? {
        guard dtype == .bool, elementCount >= 1 else { return nil }
        return data[0] != 0
    }

    /// The first element of a `<U..` array, trailing NULs removed.
    public var scalarString: String? {
        guard case .unicode(let characters) = dtype, elementCount >= 1 else { return nil }
        var scalars = String.UnicodeScalarView()
        for k in 0..<characters {
            let at = k * 4
            let code = UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16 | UInt32(data[at + 3]) << 24
            if code == 0 { break }
            guard let scalar = Unicode.Scalar(code) else { return nil }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    private func unsigned(_ size: Int) -> UInt64 {
        var value: UInt64 = 0
        for k in 0..<min(size, 8) { value |= UInt64(data[k]) << (8 * UInt64(k)) }
        return value
    }

    private func signed(_ size: Int) -> Int64 {
        let value = unsigned(size)
        guard size < 8 else { return Int64(bitPattern: value) }
        let shift = UInt64(64 - 8 * size)
        return Int64(bitPattern: value << shift) >> Int64(shift)
    }
}
