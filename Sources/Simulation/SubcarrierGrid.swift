/// One FFT's worth of a CSI buffer: `bins` positions in FFT order around `centreFrequency`
/// (position k is subcarrier k for k < bins/2, else k − bins), spaced 312.5 kHz, of which the
/// subcarriers with `innerNull` ≤ |s| ≤ `maxActive` carry energy.
///
/// Tone plans (IEEE 802.11-2020): the legacy LTF of a 20 MHz channel uses ±1…±26 (52 tones);
/// HT40 uses ±2…±58 (114 tones, 3 nulls at DC); VHT80 uses ±2…±122 (242 tones: 234 data and
/// 8 pilots, 3 nulls at DC, guards beyond ±122).
public struct SubcarrierGrid: Sendable, Equatable {
    /// 802.11a/g/n/ac subcarrier spacing, Hz: 20 MHz / 64.
    public static let spacing = 312.5e3

    /// Frequency of subcarrier 0, Hz.
    public let centreFrequency: Double
    /// FFT size: 64, 128 or 256.
    public let bins: Int
    /// The smallest |s| that carries energy (1: only DC is empty; 2: DC and ±1 are).
    public let innerNull: Int
    /// The largest |s| that carries energy; beyond it are the guard bins.
    public let maxActive: Int

    public init(centreFrequency: Double, bins: Int, innerNull: Int, maxActive: Int) {
        self.centreFrequency = centreFrequency
        self.bins = bins
        self.innerNull = innerNull
        self.maxActive = maxActive
    }

    /// The legacy LTF of the 20 MHz channel at `centre`: 64 bins, ±1…±26.
    public static func lltf(centre: Double) -> SubcarrierGrid {
        SubcarrierGrid(centreFrequency: centre, bins: 64, innerNull: 1, maxActive: 26)
    }

    /// The HT-LTF of a 40 MHz channel at `centre`: 128 bins, ±2…±58.
    public static func ht40(centre: Double) -> SubcarrierGrid {
        SubcarrierGrid(centreFrequency: centre, bins: 128, innerNull: 2, maxActive: 58)
    }

    /// The VHT-LTF of an 80 MHz channel at `centre`: 256 bins, ±2…±122.
    public static func vht80(centre: Double) -> SubcarrierGrid {
        SubcarrierGrid(centreFrequency: centre, bins: 256, innerNull: 2, maxActive: 122)
    }

    /// The subcarrier index s of buffer position k.
    public func subcarrier(atBin k: Int) -> Int { k < bins / 2 ? k : k - bins }

    /// Whether buffer position k carries a subcarrier with energy.
    public func isActive(bin k: Int) -> Bool {
        let s = abs(subcarrier(atBin: k))
        return s >= innerNull && s <= maxActive
    }

    /// Frequency of buffer position k, Hz.
    public func frequency(ofBin k: Int) -> Double {
        centreFrequency + Double(subcarrier(atBin: k)) * Self.spacing
    }

    /// Number of positions that carry energy: 52, 114 or 242.
    public var activeCount: Int { 2 * (maxActive - innerNull + 1) }
}
