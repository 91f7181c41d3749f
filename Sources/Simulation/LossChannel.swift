/// Which frames get lost on the way from node to gateway: a two-state Gilbert–Elliott chain per
/// node, so losses come in bursts as they do on a busy or fading Wi-Fi link.
///
/// In the good state nothing is lost, in the bad state everything is. A frame in the bad state
/// moves to the good one with probability r = 1 / burst (so bursts last `burst` frames on
/// average), a frame in the good state to the bad one with p = r · loss / (1 − loss), which makes
/// the long-run loss fraction p / (p + r) = `loss`. When p would exceed 1 (heavy loss with short
/// bursts) the bursts are lengthened to loss / (1 − loss) frames. The chain starts in its
/// stationary distribution.
struct LossChannel: Sendable {
    private let goodToBad: Double
    private let badToGood: Double
    private var generator: SeededGenerator
    private var bad: Bool

    init(loss: Double, burst: Double, generator: SeededGenerator) {
        var generator = generator
        let fraction = min(max(loss, 0), 0.95)
        if fraction > 0 {
            let length = max(burst, 1, fraction / (1 - fraction))
            badToGood = 1 / length
            goodToBad = min(1, badToGood * fraction / (1 - fraction))
            bad = generator.nextBool(probability: fraction)
        } else {
            badToGood = 1
            goodToBad = 0
            bad = false
        }
        self.generator = generator
    }

    /// Whether the next frame is lost.
    mutating func nextLost() -> Bool {
        guard goodToBad > 0 else { return false }
        let lost = bad
        bad = generator.nextBool(probability: bad ? 1 - badToGood : goodToBad)
        return lost
    }
}
