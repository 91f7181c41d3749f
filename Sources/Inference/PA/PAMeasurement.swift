import Foundation
import GatewayCore

/// What the gateway computes from one GaN PA frame (`PAMeter`), in engineering units.
///
/// From the coupler readings: |Γ| = sqrt(Pr/Pf), return loss = Pf − Pr (dB),
/// VSWR = (1 + |Γ|)/(1 − |Γ|), gain = Pf − Pin (dB), drain efficiency = Pf / (Vd·Id).
/// From the I/Q block: RMS and peak power (dBm, through the frame's full-scale power), the
/// peak-to-average ratio, and the adjacent-channel power ratio from its spectrum.
public struct PAMeasurement: Sendable, Equatable {
    public var time: Int64
    public var rmsPowerDbm: Double
    public var peakPowerDbm: Double
    public var paprDb: Double
    public var forwardPowerDbm: Double
    public var reflectedPowerDbm: Double
    public var inputPowerDbm: Double
    public var returnLossDb: Double
    public var reflectionCoefficient: Double
    public var vswr: Double
    public var gainDb: Double
    /// Gain below the small-signal gain (dB); nil until the AM/AM curve knows the small-signal gain.
    public var compressionDb: Double?
    /// Forward (output) power over DC drain power, 0...1; nil when the drain draws no power.
    public var drainEfficiency: Double?
    /// Adjacent-channel power ratio (dBc, the worse side); nil when the sample rate cannot see
    /// the adjacent channels or the block is shorter than 64 samples.
    public var acprDb: Double?
    /// Level of the I/Q block relative to the forward-power reading (dB): moves with the phase
    /// of the reflection, which the power readings alone do not show.
    public var iqOffsetDb: Double
    public var temperatureC: Double
    public var drainVoltage: Double
    public var drainCurrent: Double

    public init(time: Int64, rmsPowerDbm: Double, peakPowerDbm: Double, paprDb: Double, forwardPowerDbm: Double,
                reflectedPowerDbm: Double, inputPowerDbm: Double, returnLossDb: Double, reflectionCoefficient: Double,
                vswr: Double, gainDb: Double, compressionDb: Double?, drainEfficiency: Double?, acprDb: Double?,
                iqOffsetDb: Double, temperatureC: Double, drainVoltage: Double, drainCurrent: Double) {
        self.time = time
        self.rmsPowerDbm = rmsPowerDbm
        self.peakPowerDbm = peakPowerDbm
        self.paprDb = paprDb
        self.forwardPowerDbm = forwardPowerDbm
        self.reflectedPowerDbm = reflectedPowerDbm
        self.inputPowerDbm = inputPowerDbm
        self.returnLossDb = returnLossDb
        self.reflectionCoefficient = reflectionCoefficient
        self.vswr = vswr
        self.gainDb = gainDb
        self.compressionDb = compressionDb
        self.drainEfficiency = drainEfficiency
        self.acprDb = acprDb
        self.iqOffsetDb = iqOffsetDb
        self.temperatureC = temperatureC
        self.drainVoltage = drainVoltage
        self.drainCurrent = drainCurrent
    }

    /// Largest |Γ| used: a full reflection (open or short) would give an infinite VSWR.
    public static let maxReflection = 0.999

    /// |Γ|, return loss and VSWR from forward and reflected power in dBm.
    public static func mismatch(forwardDbm: Double, reflectedDbm: Double) -> (gamma: Double, returnLossDb: Double, vswr: Double) {
        let returnLoss = forwardDbm - reflectedDbm
        let gamma = min(maxReflection, pow(10, -returnLoss / 20))
        return (gamma, returnLoss, (1 + gamma) / (1 - gamma))
    }

    /// Watts from dBm.
    public static func watts(dbm: Double) -> Double { pow(10, (dbm - 30) / 10) }
}
