/// Byte-level field parsers for ESP32 CSV lines. Each takes a buffer and a half-open range and
/// returns nil for anything it does not accept, so no input can trap.
enum ESP32CSVScan {
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    /// A decimal integer with optional sign and surrounding blanks; at most 18 digits.
    static func integer(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var i = start
        var stop = end
        while i < stop, isSpace(b[i]) { i += 1 }
        while stop > i, isSpace(b[stop - 1]) { stop -= 1 }
        var negative = false
        if i < stop, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < stop, stop - i <= 18 else { return nil }
        var value = 0
        while i < stop {
            let digit = Int(b[i]) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
            i += 1
        }
        return negative ? -value : value
    }

    /// A decimal number of seconds ("1740694846.6452723") as microseconds; digits past the sixth
    /// decimal are dropped (truncation, as the tools print more precision than they have).
    static func secondsAsMicros(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var i = start
        var stop = end
        while i < stop, isSpace(b[i]) { i += 1 }
        while stop > i, isSpace(b[stop - 1]) { stop -= 1 }
        var dot = i
        while dot < stop, b[dot] != UInt8(ascii: ".") { dot += 1 }
        guard dot > i, let whole = integer(b, i, dot), whole >= 0, whole < 100_000_000_000 else { return nil }
        var fraction: Int64 = 0
        var scale: Int64 = 100_000
        var j = dot + 1
        while j < stop {
            let digit = Int64(b[j]) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            if scale > 0 {
                fraction += digit * scale
                scale /= 10
            }
            j += 1
        }
        return Int64(whole) * 1_000_000 + fraction
    }

    /// "YYYY-MM-DD HH:MM:SS[.ffffff]" (or with "T") as Unix microseconds, read as UTC because the
    /// tools that write it give no zone.
    static func dateTimeAsMicros(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var i = start
        while i < end, isSpace(b[i]) { i += 1 }
        func number(_ width: Int) -> Int? {
            guard i + width <= end, let value = integer(b, i, i + width), value >= 0 else { return nil }
            i += width
            return value
        }
        func expect(_ chars: String) -> Bool {
            guard i < end, chars.utf8.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect(" T"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if i < end, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale: Int64 = 100_000
            while i < end, !isSpace(b[i]) {
                let digit = Int64(b[i]) &- 48
                guard digit >= 0, digit <= 9 else { return nil }
                micros += digit * scale
                scale /= 10
                i += 1
            }
        }
        while i < end, isSpace(b[i]) { i += 1 }
        guard i == end else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1_000_000 + micros
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// "aa:bb:cc:dd:ee:ff" (either case, ':' or '-') as a 48-bit value.
    static func mac(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64? {
        var i = start
        var stop = end
        while i < stop, isSpace(b[i]) { i += 1 }
        while stop > i, isSpace(b[stop - 1]) { stop -= 1 }
        guard stop - i == 17 else { return nil }
        var value: UInt64 = 0
        for octet in 0..<6 {
            let at = i + octet * 3
            if octet > 0, b[at - 1] != UInt8(ascii: ":"), b[at - 1] != UInt8(ascii: "-") { return nil }
            guard let high = hexDigit(b[at]), let low = hexDigit(b[at + 1]) else { return nil }
            value = value << 8 | UInt64(high << 4 | low)
        }
        return value
    }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The integers of a CSI list body (between '[' and ']'), separated by blanks and/or commas,
    /// appended to `values`. Returns a description of the first problem, or nil when all are int8.
    static func int8List(
        _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into values: inout [Int8]
    ) -> String? {
        var i = start
        while i < end {
            let byte = b[i]
            if isSpace(byte) || byte == UInt8(ascii: ",") {
                i += 1
                continue
            }
            var negative = false
            if byte == UInt8(ascii: "-") {
                negative = true
                i += 1
            }
            var value = 0
            var digits = 0
            while i < end {
                let digit = Int(b[i]) &- 48
                guard digit >= 0, digit <= 9 else { break }
                if digits < 4 { value = value * 10 + digit }
                digits += 1
                i += 1
            }
            if digits == 0 {
                let shown = i < end ? printable(b[i]) : "end of list"
                return "unexpected \(shown) in CSI value \(values.count + 1)"
            }
            if i < end, !(isSpace(b[i]) || b[i] == UInt8(ascii: ",")) {
                return "unexpected \(printable(b[i])) in CSI value \(values.count + 1)"
            }
            if negative { value = -value }
            guard digits <= 4, value >= -128, value <= 127 else {
                return "CSI value \(values.count + 1) is outside int8 (-128...127)"
            }
            values.append(Int8(value))
        }
        return nil
    }

    static func printable(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }
}
