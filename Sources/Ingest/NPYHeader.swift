/// Reads the few keys of a `.npy` header dict ("{'descr': '<i8', 'fortran_order': False,
/// 'shape': (3, 4), }") without a Python-literal parser.
enum NPYHeader {
    /// The quoted string value that follows `key` and a colon.
    static func string(after key: String, in header: String) -> String? {
        guard let keyRange = header.range(of: key) else { return nil }
        let rest = header[keyRange.upperBound...].drop { $0 == ":" || $0 == " " }
        guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
        let body = rest.dropFirst()
        guard let close = body.firstIndex(of: quote) else { return nil }
        return String(body[..<close])
    }

    /// The shape tuple: "()" for a scalar, "(5,)" or "(1017, 128)".
    static func shape(in header: String) -> [Int]? {
        guard let keyRange = header.range(of: "'shape'") else { return nil }
        let rest = header[keyRange.upperBound...].drop { $0 == ":" || $0 == " " }
        guard rest.first == "(", let close = rest.firstIndex(of: ")") else { return nil }
        var dimensions: [Int] = []
        for part in rest.dropFirst()[..<close].split(separator: ",") {
            let trimmed = part.trimmingPrefix(" ").filter { $0 != " " && $0 != "L" }
            if trimmed.isEmpty { continue }
            guard let value = Int(trimmed), value >= 0 else { return nil }
            dimensions.append(value)
        }
        return dimensions
    }

    static func dtype(_ descr: String) -> NPYArray.DType {
        var chars = Substring(descr)
        if let first = chars.first, "<>|=".contains(first) { chars = chars.dropFirst() }
        guard let kind = chars.first, let size = Int(chars.dropFirst()), size > 0 else { return .other(descr) }
        switch (kind, size) {
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): return .int(bytes: size)
        case ("u", 1), ("u", 2), ("u", 4), ("u", 8): return .uint(bytes: size)
        case ("f", 4), ("f", 8): return .float(bytes: size)
        case ("b", 1), ("?", 1): return .bool
        case ("U", _) where size <= 1 << 20: return .unicode(characters: size)
        default: return .other(descr)
        }
    }
}
