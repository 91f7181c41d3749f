import GatewayCore

/// What the gateway saw of one device since the last write: merged into the devices table.
public struct DeviceActivity: Sendable, Equatable {
    public var device: DeviceID
    /// Unix microseconds of the newest frame.
    public var lastSeen: Int64
    /// Frames received since the last write (added to the stored total).
    public var frames: Int
    /// The kind of source, for example "csi".
    public var kind: String

    public init(device: DeviceID, lastSeen: Int64, frames: Int, kind: String = "csi") {
        self.device = device
        self.lastSeen = lastSeen
        self.frames = frames
        self.kind = kind
    }
}
