#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A change of posture the simulated person makes after walking for a while: the torso (the
/// scattering point) moves down and a little forward along a time profile, then the person stays
/// there, breathing.
///
/// Durations and heights follow what fall-detection studies describe: a fall takes the torso from
/// standing height to the floor in about 0.7 s, accelerating (so it ends at 2-3 m/s, a Doppler
/// shift of about 40 Hz at 2.4 GHz); sitting down takes 1-2 s at well under 1 m/s; lying down
/// 3-5 s in a smooth, controlled movement.
public enum Activity: String, Sendable, CaseIterable, Codable {
    case fall
    case sitDown = "sit-down"
    case lieDown = "lie-down"

    /// Seconds from the start of the movement to the final posture.
    public var duration: Double {
        switch self {
        case .fall: 0.7
        case .sitDown: 1.6
        case .lieDown: 4.0
        }
    }

    /// Torso height at the end, metres.
    public var finalHeight: Double {
        switch self {
        case .fall: 0.25
        case .sitDown: 0.75
        case .lieDown: 0.35
        }
    }

    /// How far the torso moves forward over the movement, metres.
    public var slide: Double {
        switch self {
        case .fall: 0.6
        case .sitDown: 0.2
        case .lieDown: 0.5
        }
    }

    /// Body reflectivity at the end relative to standing (a lying body shows more of itself).
    public var finalReflectivity: Double {
        switch self {
        case .fall, .lieDown: 1.4
        case .sitDown: 1.1
        }
    }

    /// Fraction of the movement done at `progress` (0...1 of `duration`): a fall accelerates
    /// like a body giving way (quadratic in time); sitting and lying ease in and out.
    public func profile(_ progress: Double) -> Double {
        let p = min(max(progress, 0), 1)
        switch self {
        case .fall: return p * p
        case .sitDown, .lieDown: return (1 - cos(Double.pi * p)) / 2
        }
    }

    /// When the movement starts in a run of `seconds`: after 40 % of the run (at least 3 s of
    /// walking), leaving at least 5 s to lie or sit still afterwards when the run allows.
    public static func start(seconds: Double, duration: Double) -> Double {
        max(min(0.4 * seconds, seconds - duration - 5), min(3, seconds / 2))
    }
}
