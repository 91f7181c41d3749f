import GatewayCore

/// What a capture file yields, record by record.
public enum FileRecord: Sendable {
    /// Frames decoded from one record (a line, a packet, an envelope, an array row).
    case frames([CSIFrame])
    /// GaN power-amplifier frames decoded from one record (envelopes only).
    case paFrames([PAFrame])
    /// A record that could not be used, with the reason (counted, logged once per burst).
    case malformed(MalformedReason)
}

/// Reads one capture file's frames in file order. Each format (the gateway's own captures,
/// pcap/pcapng with Nexmon or envelope payloads, ESP32 CSV logs, ESPectre npz) implements it,
/// and `gateway replay`, `inspect` and `export` run any of them the same way.
public protocol FrameFileReader {
    /// A short name of the format for summaries ("gateway capture", "nexmon pcap", ...).
    var formatName: String { get }
    /// The next record, or nil at the end of the file.
    mutating func nextRecord() -> FileRecord?
    /// Bytes consumed so far and in all, for progress bars.
    var position: Int { get }
    var size: Int { get }
    /// Set when the file ended early (cut short, corrupt tail); frames before it were delivered.
    var problem: String? { get }
    /// The radio chip, when the format records it (ESPectre npz); nil otherwise.
    var chipName: String? { get }
}

extension FrameFileReader {
    public var chipName: String? { nil }
}
