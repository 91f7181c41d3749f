/// ISO 8601 time stamps as SHDR adapters send them, parsed from UTF-8 without Foundation:
/// `2014-09-29T23:59:33.460470Z`, with 0-9 fraction digits, `Z`, `+hh:mm`/`-hh:mm` or nothing
/// (taken as UTC, as the MTConnect agent does), and an optional `@duration` suffix in seconds.
enum ShdrTimestamp {
    struct Parsed: Equatable {
        var micros: Int64
        var durationSeconds: Double?
    }

    static func parse(_ text: Substring) -> Parsed? {
        var durationSeconds: Double?
        var stamp = text
        if let at = text.utf8.firstIndex(of: UInt8(ascii: "@")) {
            guard let duration = Double(text[text.index(after: at)...]), duration.isFinite, duration >= 0 else { return nil }
            durationSeconds = duration
            stamp = text[..<at]
        }
        guard let micros = micros(stamp.utf8) else { return nil }
        return Parsed(micros: micros, durationSeconds: durationSeconds)
    }

    static func micros(_ utf8: Substring.UTF8View) -> Int64? {
        var it = utf8.makeIterator()
        var next: UInt8? = it.next()

        func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let c = next, c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
                next = it.next()
            }
            return value
        }
        func expect(_ ascii: UInt8) -> Bool {
            guard next == ascii else { return false }
            next = it.next()
            return true
        }

        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else { return nil }
        guard next == 84 || next == 116 || next == 32 else { return nil }  // T, t or space
        next = it.next()
        guard let hour = digits(2), expect(58), let minute = digits(2), expect(58), let second = digits(2) else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fractionMicros = 0
        if next == 46 || next == 44 {  // '.' or ','
            next = it.next()
            var scale = 100_000
            var count = 0
            while let c = next, c >= 48, c <= 57 {
                if count < 6 { fractionMicros += Int(c - 48) * scale; scale /= 10 }
                count += 1
                next = it.next()
            }
            guard count > 0, count <= 9 else { return nil }
        }
        var offsetSeconds = 0
        if next == 90 || next == 122 {  // Z
            next = it.next()
        } else if next == 43 || next == 45 {  // + or -
            let sign = next == 43 ? 1 : -1
            next = it.next()
            guard let oh = digits(2) else { return nil }
            _ = expect(58)
            guard let om = digits(2), oh < 24, om < 60 else { return nil }
            offsetSeconds = sign * (oh * 3600 + om * 60)
        }
        guard next == nil else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1_000_000 + Int64(fractionMicros)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
