import GatewayCore

/// A row of the devices table.
public struct StoredDevice: Sendable, Equatable {
    public var device: DeviceID
    /// Unix microseconds.
    public var firstSeen: Int64
    /// Unix microseconds.
    public var lastSeen: Int64
    public var frames: Int
    public var kind: String

    public init(device: DeviceID, firstSeen: Int64, lastSeen: Int64, frames: Int, kind: String) {
        self.device = device
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.frames = frames
        self.kind = kind
    }
}
