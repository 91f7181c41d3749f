#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The receiver gain of a node whose automatic gain control is not locked: at random times (a
/// Poisson process, `rate` steps per second) it jumps by ±3 or ±6 dB, staying within ±`range` dB
/// of the nominal gain.
///
/// An ESP32 re-runs its AGC on every packet and settles on gain settings a few dB apart, so with
/// the AGC free the CSI of a still room jumps by whole steps from time to time; ESPectre and
/// Espressif's esp-csi recommend forcing a fixed gain for that reason. The 3/6 dB sizes and the
/// ±6 dB range are a model of that behaviour (the detectors treat level changes above about
/// 2.9 dB between frames as gain steps), not measured ESP32 figures. The step scales every value
/// of the CSI alike; the RSSI is measured before it and does not follow it.
struct GainSteps: Sendable {
    /// Largest offset from the nominal gain, dB.
    static let range = 6.0

    private let rate: Double
    private var generator: SeededGenerator
    private var nextStep: Double
    /// Current offset from the nominal gain, dB.
    private(set) var offsetDB = 0.0
    /// Current factor on the CSI values: 10^(offset / 20).
    private var scale = 1.0

    /// - Parameter rate: steps per second; 0 or less: never.
    init(rate: Double, generator: SeededGenerator) {
        self.rate = rate
        self.generator = generator
        nextStep = .infinity
        if rate > 0 { nextStep = waitingTime() }
    }

    /// Applies the steps due up to time `t` (seconds, not decreasing); returns the factor then.
    mutating func factor(at t: Double) -> Double {
        while t >= nextStep {
            step()
            nextStep += waitingTime()
        }
        return scale
    }

    private mutating func step() {
        let size = generator.nextBool(probability: 0.5) ? 3.0 : 6.0
        var change = generator.nextBool(probability: 0.5) ? size : -size
        if abs(offsetDB + change) > Self.range { change = -change }
        offsetDB += change
        scale = pow(10, offsetDB / 20)
    }

    /// Exponentially distributed time to the next step.
    private mutating func waitingTime() -> Double {
        -log(1 - generator.nextUnit()) / rate
    }
}
