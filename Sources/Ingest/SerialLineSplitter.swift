/// Splits a serial byte stream into lines on "\n" (a trailing "\r" is removed) and
/// resynchronises after garbage:
/// - A line longer than `maxLineBytes` without a newline is dropped and reported once as
///   `.garbage`; reading continues at the next newline, or at a `CSI_DATA,` record start seen
///   in the meantime (a board that resets mid-line prints the next record right after garbage).
/// - A shorter line with bytes before its last `CSI_DATA,` (line noise, a record cut off by a
///   reset) reports those bytes as `.garbage` and the record from `CSI_DATA,` on as a line.
public struct SerialLineSplitter: Sendable {
    public enum Piece: Equatable, Sendable {
        case line(ArraySlice<UInt8>)
        /// Bytes dropped while resynchronising (one report per garbage run).
        case garbage
    }

    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var discarding = false
    private static let marker = Array("CSI_DATA,".utf8)

    public init(maxLineBytes: Int = 64 * 1024) {
        self.maxLineBytes = max(maxLineBytes, Self.marker.count + 1)
        buffer.reserveCapacity(4096)
    }

    /// Bytes held for an unfinished line.
    public var pendingBytes: Int { buffer.count }

    /// Forgets the unfinished line (the device went away).
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        discarding = false
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ body: (Piece) -> Void) {
        let raw = bytes.bindMemory(to: UInt8.self)
        var start = 0
        var i = 0
        while i < raw.count {
            if raw[i] == 0x0A {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: raw[start..<i]))
                endLine(body)
                start = i + 1
            }
            i += 1
        }
        if start < raw.count {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: raw[start..<raw.count]))
            if buffer.count > maxLineBytes { overflow(body) }
        }
    }

    public mutating func feed(_ bytes: [UInt8], _ body: (Piece) -> Void) {
        bytes.withUnsafeBytes { feed($0, body) }
    }

    private mutating func overflow(_ body: (Piece) -> Void) {
        if !discarding {
            discarding = true
            body(.garbage)
        }
        if let k = Self.lastMarker(buffer[...]), buffer.count - k <= maxLineBytes {
            buffer.removeFirst(k)
        } else {
            // Keep a tail in case a record start straddles the next read.
            buffer.removeFirst(buffer.count - (Self.marker.count - 1))
        }
    }

    private mutating func endLine(_ body: (Piece) -> Void) {
        defer { buffer.removeAll(keepingCapacity: true) }
        var end = buffer.count
        if end > 0, buffer[end - 1] == 0x0D { end -= 1 }
        let line = buffer[0..<end]
        if !discarding, line.count > maxLineBytes {
            discarding = true
            body(.garbage)
        }
        if discarding {
            discarding = false
            if let k = Self.lastMarker(line), line.count - k <= maxLineBytes { body(.line(line[k...])) }
            return
        }
        if let k = Self.lastMarker(line), k > 0 {
            body(.garbage)
            body(.line(line[k...]))
            return
        }
        body(.line(line))
    }

    /// Index of the last "CSI_DATA," in `bytes`.
    static func lastMarker(_ bytes: ArraySlice<UInt8>) -> Int? {
        let m = marker
        guard bytes.count >= m.count else { return nil }
        var i = bytes.endIndex - m.count
        while i >= bytes.startIndex {
            if bytes[i] == m[0] {
                var j = 1
                while j < m.count, bytes[i + j] == m[j] { j += 1 }
                if j == m.count { return i }
            }
            i -= 1
        }
        return nil
    }
}
