import GatewayCore

/// The band the simulated link runs in. The band sets the carrier frequency and so the
/// wavelength: a body moving at a given speed shifts the phase of its path about twice as fast
/// at 5 GHz (λ ≈ 5.8 cm) as at 2.4 GHz (λ ≈ 12.3 cm), and its Fresnel zones are narrower.
public enum RadioBand: String, Sendable, CaseIterable, Codable {
    /// 2.4 GHz: channel 6 (2437 MHz), the usual channel of an ESP32 node.
    case ghz2_4 = "2.4"
    /// 5 GHz: channel 36 (5180 MHz) and its 40/80 MHz blocks (U-NII-1, allowed in most regions).
    case ghz5 = "5"

    /// Parses a band as the CLI spells it: "2.4" or "5" (an optional "GHz" suffix is accepted).
    public static func parse(_ text: String) throws(GatewayError) -> RadioBand {
        var name = text.lowercased().filter { !$0.isWhitespace }
        if name.hasSuffix("ghz") { name.removeLast(3) }
        guard let band = RadioBand(rawValue: name) else {
            throw GatewayError(.invalidConfig, "unknown band '\(text)'; use 2.4 or 5 (GHz)")
        }
        return band
    }
}
