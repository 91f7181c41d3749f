/// Walks the `|`-separated fields of one SHDR line without splitting it into an array.
/// A field that starts with `"` runs to the closing unescaped `"`, so quoted values may hold
/// `\|` (the escaped pipe of the MTConnect agent's adapter guide).
struct ShdrFieldScanner {
    private let line: Substring
    private var index: Substring.Index
    private(set) var exhausted = false

    init(_ line: Substring) {
        self.line = line
        index = line.startIndex
    }

    var isAtEnd: Bool { exhausted }

    /// The next raw field (quotes and escapes kept), or nil after the last one.
    mutating func next() -> Substring? {
        guard !exhausted else { return nil }
        let utf8 = line.utf8
        let start = index
        var i = index
        var quoted = i < utf8.endIndex && utf8[i] == UInt8(ascii: "\"")
        if quoted { i = utf8.index(after: i) }
        while i < utf8.endIndex {
            let c = utf8[i]
            if quoted {
                if c == UInt8(ascii: "\\") {
                    i = utf8.index(after: i)
                    if i < utf8.endIndex { i = utf8.index(after: i) }
                    continue
                }
                if c == UInt8(ascii: "\"") { quoted = false }
            } else if c == UInt8(ascii: "|") {
                index = utf8.index(after: i)
                return line[start..<i]
            }
            i = utf8.index(after: i)
        }
        exhausted = true
        index = utf8.endIndex
        return line[start..<utf8.endIndex]
    }

    /// A value with its quotes removed and `\x` escapes resolved; unquoted text is returned as is.
    static func unquote(_ field: Substring) -> String {
        let utf8 = field.utf8
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "\""), utf8.last == UInt8(ascii: "\"") else { return String(field) }
        let inner = field.utf8.dropFirst().dropLast()
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(inner.count)
        var escaped = false
        for c in inner {
            if !escaped, c == UInt8(ascii: "\\") { escaped = true; continue }
            escaped = false
            bytes.append(c)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
