import GatewayCore

/// What happens to the simulated GaN PA over a run (60 s by default). Every run starts with a
/// 5 s power-on drive sweep (−10 dB to nominal, as a node's transmit power control trains),
/// from which the gateway learns the small-signal gain.
///
/// - `pa-nominal`: steady transmission, matched load, nothing happens (no event expected).
/// - `pa-vswr`: the antenna load degrades to |Γ| = 0.5 (VSWR 3:1) from 20 to 40 s.
/// - `pa-compression`: drive ramps 12 dB up from 20 s, well past the 1 dB compression point,
///   holds, and comes back down by 45 s.
/// - `pa-overtemp`: a cooling fan fails at 10 s and the case temperature climbs past 85 °C,
///   then the fan recovers at 40 s.
/// - `pa-supply`: the 28 V drain supply sags to 23.5 V from 20 to 35 s.
/// - `pa-motion`: the room is empty until 20 s, a person walks near the antenna until 35 s,
///   stands still there until 45 s, and leaves.
public enum PAScenario: String, CaseIterable, Sendable, Codable {
    case nominal = "pa-nominal"
    case vswr = "pa-vswr"
    case compression = "pa-compression"
    case overtemp = "pa-overtemp"
    case supply = "pa-supply"
    case motion = "pa-motion"

    /// Parses a scenario name as the CLI spells it (case-insensitive).
    public static func parse(_ text: String) throws(GatewayError) -> PAScenario {
        guard let scenario = PAScenario(rawValue: text.lowercased()) else {
            throw GatewayError(.invalidConfig, "unknown PA scenario '\(text)'; use one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return scenario
    }
}
