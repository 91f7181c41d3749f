/// The behavioural model of the simulated GaN PA: Rapp's AM/AM curve with smoothness p = 2,
/// `a_out = G·a / (1 + (G·a/A_sat)^4)^(1/4)` on the complex envelope's magnitude (no AM/PM),
/// with a gain that falls 0.01 dB per °C above 25 °C and a saturation amplitude that scales
/// with the drain voltage (Psat ∝ Vdd²).
///
/// Amplitudes are in √W, so |x|² is power in watts. For a constant-envelope input the output is
/// 1 dB compressed when (G·a/A_sat)^4 = 10^(p/10) − 1 with p = 2, which gives the input
/// 1 dB compression point in closed form (`inputP1dBm`).
public struct RappAmplifier: Sendable {
    /// Small-signal gain at 25 °C.
    public var gainDb = 28.0
    /// Saturated output power at 28 V.
    public var saturationDbm = 43.0
    public var gainPerDegreeDb = -0.01
    public var nominalDrainVoltage = 28.0

    public init() {}

    public func gainDb(temperatureC: Double) -> Double { gainDb + gainPerDegreeDb * (temperatureC - 25) }

    /// Saturation amplitude (√W) at `drainVoltage`.
    public func saturationAmplitude(drainVoltage: Double) -> Double {
        (pow(10, (saturationDbm - 30) / 10)).squareRoot() * drainVoltage / nominalDrainVoltage
    }

    /// Output amplitude for input amplitude `a` (√W).
    @inlinable
    public static func output(_ a: Double, gain g: Double, saturation aSat: Double) -> Double {
        let x = g * a / aSat
        let x2 = x * x
        return g * a / (1 + x2 * x2).squareRoot().squareRoot()
    }

    /// Input power (dBm) at which a constant envelope is compressed by 1 dB.
    public func inputP1dBm(temperatureC: Double = 25, drainVoltage: Double = 28) -> Double {
        let g = pow(10, gainDb(temperatureC: temperatureC) / 20)
        let a = saturationAmplitude(drainVoltage: drainVoltage) / g * pow(pow(10, 0.2) - 1, 0.25)
        return 10 * log10(a * a) + 30
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
