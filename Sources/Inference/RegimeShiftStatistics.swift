// The running statistics of `RegimeShiftDetector`.

/// Running count, mean and variance (Welford).
struct RegimeMoments: Sendable, Equatable {
    private(set) var count = 0
    private(set) var mean = 0.0
    private var m2 = 0.0

    mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    /// Sample standard deviation (n − 1); 0 below two samples.
    var std: Double { count > 1 ? (m2 / Double(count - 1)).squareRoot() : 0 }
}

/// One one-sided CUSUM with the samples since its last zero.
struct RegimeCusum: Sendable, Equatable {
    private(set) var sum = 0.0
    private(set) var since = RegimeMoments()
    private(set) var start: Int64?

    mutating func update(_ increment: Double, value: Double, time: Int64) {
        let next = sum + increment
        if next <= 0 {
            sum = 0
            since = RegimeMoments()
            start = nil
        } else {
            if sum == 0 { start = time }
            sum = next
            since.add(value)
        }
    }
}
