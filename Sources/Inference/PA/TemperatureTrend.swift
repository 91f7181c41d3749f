/// The slope of a PA's temperature over the last two minutes (°C per minute), by least squares
/// over at most one reading per second, so a fast frame rate does not shorten the memory.
struct TemperatureTrend: Sendable {
    static let spanSeconds = 120
    private var times: [Double] = []
    private var values: [Double] = []
    private var next = 0
    private var lastSecond: Int64 = .min

    mutating func add(time: Int64, celsius: Double) {
        let second = time / 1_000_000
        guard second != lastSecond else { return }
        lastSecond = second
        let t = Double(time) / 60_000_000
        if times.count < Self.spanSeconds {
            times.append(t)
            values.append(celsius)
        } else {
            times[next] = t
            values[next] = celsius
            next = (next + 1) % Self.spanSeconds
        }
    }

    /// °C per minute; 0 until ten readings a second apart exist.
    var slope: Double {
        guard times.count >= 10 else { return 0 }
        let n = Double(times.count)
        let origin = times.min() ?? 0
        var st = 0.0, sv = 0.0, stt = 0.0, stv = 0.0
        for i in times.indices {
            let t = times[i] - origin
            st += t
            sv += values[i]
            stt += t * t
            stv += t * values[i]
        }
        let denominator = n * stt - st * st
        return denominator > 0 ? (n * stv - st * sv) / denominator : 0
    }
}
