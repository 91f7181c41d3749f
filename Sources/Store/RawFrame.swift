import GatewayCore

/// The undecoded bytes of one received frame, kept for replay and debugging when enabled.
public struct RawFrame: Sendable, Equatable {
    public var device: DeviceID
    public var sequence: UInt32
    /// Gateway time base, Unix microseconds.
    public var timestamp: Int64
    public var bytes: [UInt8]

    public init(device: DeviceID, sequence: UInt32, timestamp: Int64, bytes: [UInt8]) {
        self.device = device
        self.sequence = sequence
        self.timestamp = timestamp
        self.bytes = bytes
    }
}
