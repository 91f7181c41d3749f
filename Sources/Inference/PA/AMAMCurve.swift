/// The PA's AM/AM behaviour as gain against input power, learnt from the frames' readings, and
/// the gain compression it implies.
///
/// Input power is binned in 0.5 dB steps from −60 to +60 dBm; each bin keeps the mean input
/// power and gain of its frames (a running mean for its first 50 frames, then an exponential
/// average over about 50, so the curve follows slow changes). The small-signal gain is the
/// mean gain of the bins within 3 dB of the lowest drive seen, once drive has spanned at least
/// 6 dB; compression is that gain minus the current gain. A PA that has only ever run at one
/// drive level has no known small-signal gain (set `small_signal_gain_db` for it), and one
/// that was already compressed at its lowest drive under-reports compression.
public struct AMAMCurve: Sendable {
    public static let binWidthDb = 0.5
    public static let lowestDbm = -60.0
    public static let binCount = 240
    /// Drive span needed before the small-signal gain is trusted.
    public static let minimumSpanDb = 6.0
    /// Bins within this much of the lowest drive define the small-signal gain.
    public static let smallSignalSpanDb = 3.0
    static let memory = 50

    private var inputSum = [Double](repeating: 0, count: binCount)
    private var gainSum = [Double](repeating: 0, count: binCount)
    private var counts = [Int](repeating: 0, count: binCount)
    private var lowest: Int?
    private var highest: Int?
    /// Cached small-signal gain; recomputed when a low bin changes.
    private var smallSignal: Double?
    private var smallSignalStale = true

    public init() {}

    static func bin(_ inputDbm: Double) -> Int? {
        guard inputDbm.isFinite else { return nil }
        let index = Int(((inputDbm - lowestDbm) / binWidthDb).rounded(.down))
        return (0..<binCount).contains(index) ? index : nil
    }

    public mutating func add(inputDbm: Double, gainDb: Double) {
        guard let b = Self.bin(inputDbm), gainDb.isFinite else { return }
        if counts[b] < Self.memory {
            counts[b] += 1
            inputSum[b] += inputDbm
            gainSum[b] += gainDb
        } else {
            // Exponential average: the sums stay `memory` frames' worth.
            let keep = Double(Self.memory - 1) / Double(Self.memory)
            inputSum[b] = inputSum[b] * keep + inputDbm
            gainSum[b] = gainSum[b] * keep + gainDb
        }
        if lowest.map({ b < $0 }) ?? true { lowest = b; smallSignalStale = true }
        if highest.map({ b > $0 }) ?? true { highest = b; smallSignalStale = true }
        if let low = lowest, Double(b - low) * Self.binWidthDb <= Self.smallSignalSpanDb { smallSignalStale = true }
    }

    func weight(_ b: Int) -> Double { Double(min(counts[b], Self.memory)) }

    /// Mean input power and gain of bin `b`, nil when empty.
    public func point(_ b: Int) -> (inputDbm: Double, gainDb: Double)? {
        guard counts[b] > 0 else { return nil }
        return (inputSum[b] / weight(b), gainSum[b] / weight(b))
    }

    /// The small-signal gain, once drive has spanned `minimumSpanDb`.
    public mutating func smallSignalGain() -> Double? {
        guard let low = lowest, let high = highest, Double(high - low) * Self.binWidthDb >= Self.minimumSpanDb else { return nil }
        if smallSignalStale {
            var total = 0.0
            var bins = 0
            var b = low
            while b <= high, Double(b - low) * Self.binWidthDb <= Self.smallSignalSpanDb {
                if let p = point(b) { total += p.gainDb; bins += 1 }
                b += 1
            }
            smallSignal = bins > 0 ? total / Double(bins) : nil
            smallSignalStale = false
        }
        return smallSignal
    }

    /// Gain compression at `gainDb` (dB below the small-signal gain; 0 when above it).
    public mutating func compression(gainDb: Double) -> Double? {
        smallSignalGain().map { max(0, $0 - gainDb) }
    }

    /// Input power at which the curve's gain falls 1 dB (or `by` dB) below the small-signal
    /// gain, interpolated linearly between the two bins around the crossing; nil when the curve
    /// never reaches it.
    public mutating func compressionPoint(by target: Double = 1) -> (inputDbm: Double, outputDbm: Double)? {
        guard let small = smallSignalGain(), let low = lowest, let high = highest else { return nil }
        var previous: (inputDbm: Double, compression: Double)?
        for b in low...high {
            guard let p = point(b) else { continue }
            let c = small - p.gainDb
            if c >= target, let prev = previous, prev.compression < target {
                let x = prev.inputDbm + (target - prev.compression) / (c - prev.compression) * (p.inputDbm - prev.inputDbm)
                return (x, x + small - target)
            }
            previous = (p.inputDbm, c)
        }
        return nil
    }
}
