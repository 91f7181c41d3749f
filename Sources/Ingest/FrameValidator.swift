import GatewayCore

/// Per-device sequence accounting: gaps (lost frames), duplicates and late frames, restarts.
///
/// Not thread-safe by design: each source owns one and calls it from a single thread (a NIO
/// event loop, a reader thread, a replay loop). Memory is bounded by `maxDevices`.
public struct FrameValidator: Sendable {
    public enum Verdict: Sendable, Equatable {
        /// In order; `lost` frames were skipped since the previous one.
        case accept(lost: Int)
        /// Same or older sequence number than one already accepted.
        case duplicate
        /// A jump large enough that the node must have restarted; accepted, history reset.
        case restart
        /// The device table is full; the frame is dropped.
        case tooManyDevices
    }

    /// A jump (forwards or backwards) beyond this many frames is treated as a node restart.
    public static let restartDistance: UInt32 = 1 << 16

    private var last: [DeviceID: UInt32] = [:]
    public let maxDevices: Int

    public init(maxDevices: Int = 1024) {
        self.maxDevices = maxDevices
    }

    public var deviceCount: Int { last.count }

    public mutating func check(device: DeviceID, sequence: UInt32) -> Verdict {
        guard let previous = last[device] else {
            guard last.count < maxDevices else { return .tooManyDevices }
            last[device] = sequence
            return .accept(lost: 0)
        }
        let ahead = sequence &- previous
        if ahead == 0 { return .duplicate }
        if ahead < Self.restartDistance {
            last[device] = sequence
            return .accept(lost: Int(ahead) - 1)
        }
        let behind = previous &- sequence
        if behind < Self.restartDistance { return .duplicate }
        last[device] = sequence
        return .restart
    }
}
