import GatewayCore

/// Parses one line of an ESP32 CSI log into a frame: ESP32-CSI-Tool `CSI_DATA` lines (26 columns,
/// optional 27th column of host Unix seconds), esp-csi `csi_recv` and console_test lines, and
/// esp-csi `esp_csi_tool.py` logs (30 columns). A file reader and a serial-port reader share it.
///
/// Mapping to `CSIFrame`:
/// - `device`: `DeviceID.mac` of the mac column ("aa:bb:cc:dd:ee:ff").
/// - `sequence`: the line's `id`/`seq` column when the dialect has one, else a per-device counter
///   from 0 kept by this parser.
/// - `timestamp` (Unix µs), first that applies: a host time column after the CSI list (Unix
///   seconds); the esp_csi_tool `timestamp` column (local date-time, read as UTC); ESP32-CSI-Tool's
///   `real_timestamp` when `real_time_set` is 1; else `local_timestamp` (µs since boot, wraps at
///   2^32) unwrapped per device and counted from an epoch of 0, so it is a relative time.
/// - `layout`/`bandwidth`: see `ESP32CSVLayout`; `payload` is `.int8Pairs` (imaginary, real).
///
/// Blank lines and header rows ("type,...") give nil. Lines that do not start with `CSI_DATA`
/// are malformed unless `ignoresNonCSILines` is set (serial ports interleave firmware logs).
public struct ESP32CSVLine: Sendable {
    /// Name used in malformed-record locations ("<source>:line N").
    public var source: String
    /// When set, lines that are not CSI records (firmware log output) give nil instead of
    /// `.malformed`.
    public var ignoresNonCSILines: Bool
    /// Lines skipped as blank, header or (with `ignoresNonCSILines`) non-CSI.
    public private(set) var skippedLines = 0

    private struct DeviceState {
        var id: DeviceID
        var nextSequence: UInt32 = 0
        var lastLocal: UInt32 = 0
        var wraps: Int64 = 0
        var seen = false
    }

    private var devices: [UInt64: DeviceState] = [:]
    private var fieldStarts: [Int] = []
    private var fieldEnds: [Int] = []
    private var values: [Int8] = []

    public init(source: String, ignoresNonCSILines: Bool = false) {
        self.source = source
        self.ignoresNonCSILines = ignoresNonCSILines
        fieldStarts.reserveCapacity(32)
        fieldEnds.reserveCapacity(32)
    }

    /// Parses one line (with or without its line ending).
    public mutating func parse(line: some Collection<UInt8>, lineNumber: Int) -> FileRecord? {
        if let result = line.withContiguousStorageIfAvailable({ parse(buffer: $0, lineNumber: lineNumber) }) {
            return result
        }
        let copy = Array(line)
        return copy.withUnsafeBufferPointer { parse(buffer: $0, lineNumber: lineNumber) }
    }

    public mutating func parse(line: Substring, lineNumber: Int) -> FileRecord? {
        var text = line
        return text.withUTF8 { parse(buffer: $0, lineNumber: lineNumber) }
    }

    /// The core parser over raw bytes of one line.
    public mutating func parse(buffer b: UnsafeBufferPointer<UInt8>, lineNumber: Int) -> FileRecord? {
        var end = b.count
        while end > 0, b[end - 1] == 0x0A || ESP32CSVScan.isSpace(b[end - 1]) { end -= 1 }
        var start = 0
        if end >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { start = 3 }  // UTF-8 BOM
        if start == end || Self.hasPrefix(b, start, end, "type,") {
            skippedLines += 1
            return nil
        }
        guard Self.hasPrefix(b, start, end, "CSI_DATA,") else {
            if ignoresNonCSILines {
                skippedLines += 1
                return nil
            }
            return malformed(lineNumber, "not a CSI_DATA record")
        }
        // Fields up to the CSI list.
        fieldStarts.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        var i = start
        var listStart = -1
        var quoted = false
        while i < end {
            let first = b[i]
            if first == UInt8(ascii: "[") || first == UInt8(ascii: "\"") {
                quoted = first == UInt8(ascii: "\"")
                listStart = i
                break
            }
            var j = i
            while j < end, b[j] != UInt8(ascii: ",") { j += 1 }
            fieldStarts.append(i)
            fieldEnds.append(j)
            if fieldStarts.count > 40 { break }
            i = j + 1
        }
        guard listStart >= 0 else {
            return malformed(lineNumber, "no CSI list after \(fieldStarts.count) fields; the line was cut short or is not a CSI record")
        }
        guard let columns = ESP32CSVColumns.forFieldsBeforeData(fieldStarts.count) else {
            return malformed(lineNumber, "\(fieldStarts.count) fields before the CSI list; known ESP32 logs have 24, 25, 26 or 29")
        }
        // The CSI list (and what follows it).
        values.removeAll(keepingCapacity: true)
        var afterList = end
        if let problem = scanList(b, from: listStart, to: end, quoted: quoted, afterList: &afterList) {
            return malformed(lineNumber, problem)
        }
        if values.isEmpty { return malformed(lineNumber, "empty CSI list") }
        if values.count % 2 != 0 {
            return malformed(lineNumber, "\(values.count) CSI values; int8 pairs need an even count (line cut short?)")
        }
        return frame(b, columns: columns, afterList: afterList, end: end, lineNumber: lineNumber)
    }

    /// Reads the CSI list into `values`; `afterList` is set to the index after its closing
    /// bracket or quote. Returns a problem description, or nil.
    private mutating func scanList(
        _ b: UnsafeBufferPointer<UInt8>, from listStart: Int, to end: Int, quoted: Bool, afterList: inout Int
    ) -> String? {
        var i = listStart
        if quoted {
            i += 1
            if i < end, b[i] != UInt8(ascii: "[") {
                var close = i
                while close < end, b[close] != UInt8(ascii: "\"") { close += 1 }
                guard close < end else { return "quoted CSI data is not closed (line cut short?)" }
                guard let decoded = ESP32CSVBase64.decode(b, i, close) else { return "quoted CSI data is neither a list nor base64" }
                values.append(contentsOf: decoded)
                afterList = close + 1
                return nil
            }
        }
        guard i < end else { return "CSI list is not closed (line cut short?)" }
        var close = i + 1
        while close < end, b[close] != UInt8(ascii: "]") { close += 1 }
        guard close < end else { return "CSI list is not closed (line cut short?)" }
        if let problem = ESP32CSVScan.int8List(b, i + 1, close, into: &values) { return problem }
        afterList = close + 1
        if quoted {
            guard afterList < end, b[afterList] == UInt8(ascii: "\"") else { return "quoted CSI list is not closed" }
            afterList += 1
        }
        return nil
    }

    private mutating func frame(
        _ b: UnsafeBufferPointer<UInt8>, columns: ESP32CSVColumns, afterList: Int, end: Int, lineNumber: Int
    ) -> FileRecord {
        func int(_ column: Int) -> Int? { ESP32CSVScan.integer(b, fieldStarts[column], fieldEnds[column]) }
        guard let macValue = ESP32CSVScan.mac(b, fieldStarts[columns.mac], fieldEnds[columns.mac]) else {
            return malformed(lineNumber, "mac column is not a MAC address")
        }
        guard let rssi = int(columns.rssi), let sigMode = int(columns.sigMode), let cwb = int(columns.cwb),
              let stbc = int(columns.stbc), let noiseFloor = int(columns.noiseFloor),
              let channel = int(columns.channel), let local = int(columns.localTimestamp),
              Int16(exactly: rssi) != nil, Int16(exactly: noiseFloor) != nil,
              UInt16(exactly: channel) != nil, local >= 0, local <= Int(UInt32.max)
        else { return malformed(lineNumber, "a numeric column (rssi, sig_mode, cwb, stbc, noise_floor, channel, local_timestamp) is missing or out of range") }
        let sequenceColumn = columns.sequence.flatMap(int)
        let firstWord = columns.firstWordInvalid.flatMap(int)
        guard let mapped = ESP32CSVLayout.map(values: values, sigMode: sigMode, cwb: cwb, stbc: stbc) else {
            return malformed(lineNumber, "\(values.count / 2) CSI pairs (sig_mode \(sigMode), cwb \(cwb), stbc \(stbc)) fit no ESP32 layout")
        }
        var hostTime: Int64?
        if afterList < end {
            var i = afterList
            while i < end, b[i] == UInt8(ascii: ",") || ESP32CSVScan.isSpace(b[i]) { i += 1 }
            var stop = i
            while stop < end, b[stop] != UInt8(ascii: ",") { stop += 1 }
            if i < stop {
                guard let seconds = ESP32CSVScan.secondsAsMicros(b, i, stop) else {
                    return malformed(lineNumber, "column after the CSI list is not a Unix time in seconds")
                }
                hostTime = seconds
            }
        }
        if hostTime == nil, let column = columns.hostDateTime {
            hostTime = ESP32CSVScan.dateTimeAsMicros(b, fieldStarts[column], fieldEnds[column])
        }
        if hostTime == nil, let flag = columns.realTimeSet, let column = columns.realTimestamp, int(flag) == 1 {
            hostTime = ESP32CSVScan.secondsAsMicros(b, fieldStarts[column], fieldEnds[column])
        }
        // Per-device state: id, counter and the unwrapped radio clock.
        var state = devices[macValue] ?? DeviceState(id: DeviceID.mac((0..<6).map { UInt8(truncatingIfNeeded: macValue >> (40 - 8 * $0)) }))
        let raw = UInt32(local)
        if state.seen, raw < state.lastLocal, state.lastLocal - raw > 1 << 31 { state.wraps += 1 }
        state.lastLocal = raw
        state.seen = true
        let sequence = sequenceColumn.map { UInt32(truncatingIfNeeded: $0) } ?? state.nextSequence
        state.nextSequence = sequence &+ 1
        devices[macValue] = state
        let timestamp = hostTime ?? (state.wraps << 32 | Int64(raw))
        let frame = CSIFrame(
            device: state.id, sequence: sequence, timestamp: timestamp, deviceTimestamp: raw,
            rssi: Int16(rssi), noiseFloor: Int16(noiseFloor), channel: UInt16(channel),
            bandwidth: mapped.bandwidth, layout: mapped.layout,
            firstWordInvalid: firstWord.map { $0 != 0 } ?? columns.firstWordInvalidDefault,
            invalidSubcarriers: mapped.invalidSubcarriers, payload: .int8Pairs(mapped.values))
        return .frames([frame])
    }

    private func malformed(_ lineNumber: Int, _ detail: String) -> FileRecord {
        .malformed(.malformedRecord(location: "\(source):line \(lineNumber)", detail: detail))
    }

    static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard end - start >= count else { return false }
        let p = prefix.utf8Start
        for k in 0..<count where b[start + k] != p[k] { return false }
        return true
    }
}
