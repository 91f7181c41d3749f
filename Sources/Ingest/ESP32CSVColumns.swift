/// Where each field sits in one of the CSV dialects that ESP32 CSI tools print.
///
/// The dialect is chosen by how many comma-separated fields come before the CSI list, so a file
/// needs no header row (ESP32-CSI-Tool prints none; esp-csi prints one only at start-up).
struct ESP32CSVColumns: Sendable {
    let dialect: String
    let mac: Int
    let rssi: Int
    let sigMode: Int
    /// `cwb` / `bandwidth`: 1 when the packet used 40 MHz.
    let cwb: Int
    let stbc: Int
    let noiseFloor: Int
    let channel: Int
    let secondaryChannel: Int
    let localTimestamp: Int
    let sequence: Int?
    let firstWordInvalid: Int?
    /// Host wall-clock column "YYYY-MM-DD HH:MM:SS.fff" (esp_csi_tool.py logs).
    let hostDateTime: Int?
    /// ESP32-CSI-Tool's `real_time_set` flag and `real_timestamp` (Unix seconds when the flag is set).
    let realTimeSet: Int?
    let realTimestamp: Int?
    /// What `firstWordInvalid` is when the dialect has no column for it. ESP32-CSI-Tool runs only on
    /// the original ESP32, whose first four CSI bytes are never valid (every line of the real
    /// captures starts with two garbage pairs such as `101 -48 5 0`).
    let firstWordInvalidDefault: Bool

    /// The dialect whose CSI list follows `count` fields, or nil when none does.
    static func forFieldsBeforeData(_ count: Int) -> ESP32CSVColumns? {
        switch count {
        case 25: return esp32CSITool
        case 24: return espCSIRecv
        case 26: return espCSIConsoleLegacy
        case 29: return espCSIConsoleTool
        default: return nil
        }
    }

    /// StevenMHernandez/ESP32-CSI-Tool: type,role,mac,rssi,rate,sig_mode,mcs,bandwidth,smoothing,
    /// not_sounding,aggregation,stbc,fec_coding,sgi,noise_floor,ampdu_cnt,channel,secondary_channel,
    /// local_timestamp,ant,sig_len,rx_state,real_time_set,real_timestamp,len,CSI_DATA[,host time].
    static let esp32CSITool = ESP32CSVColumns(
        dialect: "ESP32-CSI-Tool", mac: 2, rssi: 3, sigMode: 5, cwb: 7, stbc: 11, noiseFloor: 14,
        channel: 16, secondaryChannel: 17, localTimestamp: 18, sequence: nil, firstWordInvalid: nil,
        hostDateTime: nil, realTimeSet: 22, realTimestamp: 23, firstWordInvalidDefault: true)

    /// esp-csi get-started `csi_recv`: type,id,mac,rssi,rate,sig_mode,mcs,bandwidth,smoothing,
    /// not_sounding,aggregation,stbc,fec_coding,sgi,noise_floor,ampdu_cnt,channel,secondary_channel,
    /// local_timestamp,ant,sig_len,rx_state,len,first_word,data.
    static let espCSIRecv = ESP32CSVColumns(
        dialect: "esp-csi csi_recv", mac: 2, rssi: 3, sigMode: 5, cwb: 7, stbc: 11, noiseFloor: 14,
        channel: 16, secondaryChannel: 17, localTimestamp: 18, sequence: 1, firstWordInvalid: 23,
        hostDateTime: nil, realTimeSet: nil, realTimestamp: nil, firstWordInvalidDefault: false)

    /// esp-csi console_test firmware (2021-2023): type,id,action_id,action,mac,rssi,...,rx_state,
    /// len,first_word,data.
    static let espCSIConsoleLegacy = ESP32CSVColumns(
        dialect: "esp-csi console_test", mac: 4, rssi: 5, sigMode: 7, cwb: 9, stbc: 13, noiseFloor: 16,
        channel: 18, secondaryChannel: 19, localTimestamp: 20, sequence: 1, firstWordInvalid: 25,
        hostDateTime: nil, realTimeSet: nil, realTimestamp: nil, firstWordInvalidDefault: false)

    /// esp-csi esp_csi_tool.py log: type,seq,timestamp,taget_seq,taget,mac,rssi,rate,sig_mode,mcs,
    /// cwb,smoothing,not_sounding,aggregation,stbc,fec_coding,sgi,noise_floor,ampdu_cnt,
    /// channel_primary,channel_secondary,local_timestamp,ant,sig_len,rx_state,agc_gain,fft_gain,len,
    /// first_word_invalid,data.
    static let espCSIConsoleTool = ESP32CSVColumns(
        dialect: "esp-csi esp_csi_tool", mac: 5, rssi: 6, sigMode: 8, cwb: 10, stbc: 14, noiseFloor: 17,
        channel: 19, secondaryChannel: 20, localTimestamp: 21, sequence: 1, firstWordInvalid: 28,
        hostDateTime: 2, realTimeSet: nil, realTimestamp: nil, firstWordInvalidDefault: false)
}
