import GatewayCore

/// The gateway's own capture format as a `FrameFileReader`: envelopes decoded with the same
/// decoder as live UDP.
public struct GatewayCaptureReader: FrameFileReader {
    private var records: CaptureFileReader
    private let decoder = EnvelopeDecoder()
    private var pending: [MalformedReason] = []
    /// PA frames of the last record, delivered after its CSI frames.
    private var pendingPA: [PAFrame] = []

    public init(path: String) throws {
        records = try CaptureFileReader(path: path)
    }

    public init(bytes: [UInt8], name: String) throws {
        records = try CaptureFileReader(bytes: bytes, name: name)
    }

    public var formatName: String { "gateway capture" }
    public var position: Int { records.position }
    public var size: Int { records.size }
    public var problem: String? { records.problem }

    public mutating func nextRecord() -> FileRecord? {
        if !pendingPA.isEmpty {
            defer { pendingPA.removeAll() }
            return .paFrames(pendingPA)
        }
        if !pending.isEmpty { return .malformed(pending.removeFirst()) }
        guard let bytes = records.next() else { return nil }
        let output = decoder.decode(bytes, receivedAt: 0)
        pending = output.rejected
        if output.frames.isEmpty {
            if !output.paFrames.isEmpty { return .paFrames(output.paFrames) }
            if !pending.isEmpty { return .malformed(pending.removeFirst()) }
        }
        pendingPA = output.paFrames
        return .frames(output.frames)
    }
}
