/// One channel state measurement, decoded from any source into the gateway's own form.
///
/// Times are Unix microseconds on the gateway's time base (`timestamp`): the receive time for
/// live sources, the recorded time for captures. Detectors take rates and gaps from it.
public struct CSIFrame: Sendable, Equatable {
    public var device: DeviceID
    /// Per-device sequence number as the node sent it (wraps at 2^32).
    public var sequence: UInt32
    /// Gateway time base, Unix microseconds.
    public var timestamp: Int64
    /// The radio's own microsecond counter, when the source has one (wraps).
    public var deviceTimestamp: UInt32
    public var rssi: Int16
    public var noiseFloor: Int16
    public var channel: UInt16
    public var bandwidth: Bandwidth
    public var layout: SubcarrierLayout
    /// ESP32: the first four bytes (two subcarriers) of the buffer are not valid.
    public var firstWordInvalid: Bool
    /// Positions in the CSI vector known to be invalid (for example bins overwritten by firmware).
    public var invalidSubcarriers: [Int]
    public var payload: CSIPayload

    public init(
        device: DeviceID, sequence: UInt32, timestamp: Int64, deviceTimestamp: UInt32 = 0,
        rssi: Int16 = 0, noiseFloor: Int16 = 0, channel: UInt16 = 0,
        bandwidth: Bandwidth = .mhz20, layout: SubcarrierLayout = .lltf,
        firstWordInvalid: Bool = false, invalidSubcarriers: [Int] = [], payload: CSIPayload
    ) {
        self.device = device
        self.sequence = sequence
        self.timestamp = timestamp
        self.deviceTimestamp = deviceTimestamp
        self.rssi = rssi
        self.noiseFloor = noiseFloor
        self.channel = channel
        self.bandwidth = bandwidth
        self.layout = layout
        self.firstWordInvalid = firstWordInvalid
        self.invalidSubcarriers = invalidSubcarriers
        self.payload = payload
    }

    /// Number of complex subcarrier values the frame carries.
    public var subcarrierCount: Int { payload.subcarrierCount }
}

/// The CSI values of a frame.
public enum CSIPayload: Sendable, Equatable {
    /// Signed 8-bit pairs, imaginary then real, as the ESP32 hardware gives them.
    case int8Pairs([Int8])
    /// Interleaved (real, imaginary) float pairs at their absolute scale.
    case complex([Float])

    public var subcarrierCount: Int {
        switch self {
        case .int8Pairs(let values): return values.count / 2
        case .complex(let values): return values.count / 2
        }
    }
}

public enum Bandwidth: Int, Sendable, Codable, CaseIterable {
    case mhz20 = 20
    case mhz40 = 40
    case mhz80 = 80
    case mhz160 = 160
}

/// How the subcarriers of a frame are laid out (ESP-IDF's order of `wifi_csi_info_t.buf`).
public enum SubcarrierLayout: String, Sendable, Codable, CaseIterable {
    /// Legacy LTF only: 64 subcarriers in FFT order.
    case lltf
    /// LLTF then HT-LTF (64 + 64 for HT20, 64 + 128 for HT40).
    case lltfHTLTF = "lltf+ht-ltf"
    /// LLTF, HT-LTF and STBC HT-LTF.
    case lltfHTLTFSTBC = "lltf+ht-ltf+stbc"
    /// HT-LTF only.
    case htLTF = "ht-ltf"
    /// One run covering the band in FFT order (Nexmon and similar).
    case fft
}
