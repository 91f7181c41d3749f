/// Where the secondary 20 MHz channel of a 40 MHz (HT40) link lies relative to the primary one,
/// as ESP-IDF's `wifi_second_chan_t` names it.
///
/// At 2.4 GHz the primary is channel 6 either way (HT40+: channels 6 + 10, centre 2447 MHz;
/// HT40−: 6 + 2, centre 2427 MHz). At 5 GHz the pair is channels 36 and 40 (centre 5190 MHz,
/// channel 38); `above` makes 36 the primary, `below` makes 40 the primary.
public enum SecondaryChannel: String, Sendable, CaseIterable, Codable {
    case above
    case below
}
