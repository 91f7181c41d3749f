#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Normal samples by the Box–Muller transform.
public enum Gaussian {
    /// Two independent standard normal samples (one uniform pair, no rejection).
    @inlinable
    public static func pair<G: RandomNumberGenerator>(using generator: inout G) -> (Double, Double) {
        // u1 in (0, 1] so the logarithm is finite.
        let u1 = 1 - Double(generator.next() >> 11) * 0x1p-53
        let u2 = Double(generator.next() >> 11) * 0x1p-53
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (radius * cos(angle), radius * sin(angle))
    }

    /// One sample with the given mean and standard deviation (the pair's second value is dropped).
    @inlinable
    public static func sample<G: RandomNumberGenerator>(
        mean: Double = 0, standardDeviation: Double = 1, using generator: inout G
    ) -> Double {
        mean + standardDeviation * pair(using: &generator).0
    }
}
