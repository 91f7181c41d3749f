/// Splits a byte stream into lines on a terminator (one or more bytes, e.g. "\n", "\r\n" or
/// "\r"). With a "\n" terminator a trailing "\r" is dropped too, so CRLF peers work unchanged.
/// A line longer than `maxLineBytes` is dropped and reported once as `.overflow`; reading
/// resumes after the next terminator. Bytes are copied once into an internal buffer; lines are
/// handed out as slices of it, valid only inside the callback.
public struct LineFramer: Sendable {
    public enum Piece: Equatable, Sendable {
        case line(ArraySlice<UInt8>)
        /// A line exceeded `maxLineBytes` and was dropped.
        case overflow
    }

    public let terminator: [UInt8]
    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var discarding = false
    /// How many bytes of the terminator matched at the end of `buffer` (multi-byte terminators).
    private var matched = 0

    public init(terminator: [UInt8] = [0x0A], maxLineBytes: Int = 64 * 1024) {
        self.terminator = terminator.isEmpty ? [0x0A] : terminator
        self.maxLineBytes = max(1, maxLineBytes)
        buffer.reserveCapacity(1024)
    }

    /// Bytes held for an unfinished line.
    public var pendingBytes: Int { buffer.count }

    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        discarding = false
        matched = 0
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ body: (Piece) throws -> Void) rethrows {
        let last = terminator[terminator.count - 1]
        for byte in bytes {
            if discarding {
                if byte == last, tailMatches(appending: byte) { discarding = false; buffer.removeAll(keepingCapacity: true) }
                else if buffer.count > terminator.count { buffer.removeFirst(buffer.count - terminator.count) }
                if discarding { buffer.append(byte) }
                continue
            }
            buffer.append(byte)
            if byte == last, tailMatches(appending: nil) {
                var end = buffer.count - terminator.count
                if terminator == [0x0A], end > 0, buffer[end - 1] == 0x0D { end -= 1 }
                try body(.line(buffer[0..<end]))
                buffer.removeAll(keepingCapacity: true)
            } else if buffer.count > maxLineBytes + terminator.count {
                discarding = true
                buffer.removeAll(keepingCapacity: true)
                try body(.overflow)
            }
        }
    }

    public mutating func feed(_ bytes: [UInt8], _ body: (Piece) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try feed($0, body) }
    }

    /// True when the buffer (plus `byte`, when given) ends with the terminator.
    private func tailMatches(appending byte: UInt8?) -> Bool {
        let n = terminator.count
        if n == 1 { return true }
        let extra = byte == nil ? 0 : 1
        guard buffer.count + extra >= n else { return false }
        var t = n - 1 - extra
        var i = buffer.count - 1
        while t >= 0 {
            if buffer[i] != terminator[t] { return false }
            t -= 1
            i -= 1
        }
        return true
    }
}
