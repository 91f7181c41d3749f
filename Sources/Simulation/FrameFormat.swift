import GatewayCore

/// What a simulated node's frames look like: the band and bandwidth, the channel number they
/// report, the FFT grids their CSI buffer holds (in buffer order) and how the values are stored.
///
/// - 20 MHz: an ESP32 LLTF buffer, 64 int8 pairs (the only format before band and bandwidth
///   options existed). At 5 GHz this is what an ESP32-C5 reports.
/// - 40 MHz: an ESP32 HT40 buffer, `lltf+ht-ltf` with 192 int8 pairs: the LLTF of the primary
///   20 MHz channel in its own FFT order (the part the gateway's subcarrier selection reads, as
///   for every ESP32 layout), then the HT-LTF over the whole 40 MHz in FFT order (ESP-IDF's
///   "0~63, -64~-1"). The frame's channel is the primary channel, as ESP-IDF reports it.
/// - 80 MHz (5 GHz only): a Nexmon-style frame as `NexmonDecoder` produces it: layout `fft`,
///   256 complex values in FFT order on channels 36–48 (centre channel 42, 5210 MHz, which is the
///   channel a Broadcom chanspec carries), integer-valued at int16 scale like a bcm43455c0's.
public struct FrameFormat: Sendable, Equatable {
    public let band: RadioBand
    public let bandwidth: Bandwidth
    /// The channel number frames carry: the primary channel for ESP32 frames, the centre
    /// channel for Nexmon frames.
    public let channel: UInt16
    /// The FFT grids of the buffer, in buffer order.
    public let grids: [SubcarrierGrid]
    public let layout: SubcarrierLayout
    /// Values are (real, imaginary) floats (Nexmon) rather than (imaginary, real) int8 (ESP32).
    public let complexPayload: Bool
    /// Output units per int8 unit of the ESP32 AGC's level: 1 for ESP32 frames; 32 for Nexmon
    /// frames, whose int16 values run to a few thousand.
    public let payloadScale: Double

    /// Carrier frequency of the whole band the frame covers (the centre of its widest grid), Hz.
    public var carrierFrequency: Double { grids[grids.count - 1].centreFrequency }

    /// Carrier wavelength, metres: ≈ 0.123 m on channel 6, ≈ 0.058 m on channel 36.
    public var wavelength: Double { ChannelModel.speedOfLight / carrierFrequency }

    /// Buffer positions over all grids (64, 192 or 256).
    public var bins: Int { grids.reduce(0) { $0 + $1.bins } }

    /// Today's default and the simulator's original format: 2.4 GHz channel 6, ESP32 LLTF.
    public static let esp32LLTF = FrameFormat(
        band: .ghz2_4, bandwidth: .mhz20, channel: 6, grids: [.lltf(centre: 2_437e6)],
        layout: .lltf, complexPayload: false, payloadScale: 1)

    private init(band: RadioBand, bandwidth: Bandwidth, channel: UInt16, grids: [SubcarrierGrid],
                 layout: SubcarrierLayout, complexPayload: Bool, payloadScale: Double) {
        self.band = band
        self.bandwidth = bandwidth
        self.channel = channel
        self.grids = grids
        self.layout = layout
        self.complexPayload = complexPayload
        self.payloadScale = payloadScale
    }

    /// The format for a band and bandwidth; 80 MHz needs 5 GHz, 160 MHz is not simulated.
    public init(band: RadioBand, bandwidth: Bandwidth, secondary: SecondaryChannel = .above) throws(GatewayError) {
        switch (band, bandwidth) {
        case (.ghz2_4, .mhz20):
            self = .esp32LLTF
        case (.ghz5, .mhz20):
            self.init(band: band, bandwidth: bandwidth, channel: 36, grids: [.lltf(centre: 5_180e6)],
                      layout: .lltf, complexPayload: false, payloadScale: 1)
        case (.ghz2_4, .mhz40):
            let centre = secondary == .above ? 2_447e6 : 2_427e6
            self.init(band: band, bandwidth: bandwidth, channel: 6,
                      grids: [.lltf(centre: 2_437e6), .ht40(centre: centre)],
                      layout: .lltfHTLTF, complexPayload: false, payloadScale: 1)
        case (.ghz5, .mhz40):
            let primary: (channel: UInt16, centre: Double) = secondary == .above ? (36, 5_180e6) : (40, 5_200e6)
            self.init(band: band, bandwidth: bandwidth, channel: primary.channel,
                      grids: [.lltf(centre: primary.centre), .ht40(centre: 5_190e6)],
                      layout: .lltfHTLTF, complexPayload: false, payloadScale: 1)
        case (.ghz5, .mhz80):
            self.init(band: band, bandwidth: bandwidth, channel: 42, grids: [.vht80(centre: 5_210e6)],
                      layout: .fft, complexPayload: true, payloadScale: 32)
        case (.ghz2_4, .mhz80):
            throw GatewayError(.invalidConfig, "80 MHz channels exist only at 5 GHz (802.11ac VHT80); choose the 5 GHz band for 80 MHz, or 20 or 40 MHz at 2.4 GHz")
        case (_, .mhz160):
            throw GatewayError(.invalidConfig, "160 MHz is not simulated; choose 20, 40 or 80 MHz")
        }
    }

    /// Whether each buffer position carries energy, over all grids in buffer order.
    public var activeBins: [Bool] {
        grids.flatMap { grid in (0..<grid.bins).map { grid.isActive(bin: $0) } }
    }
}
