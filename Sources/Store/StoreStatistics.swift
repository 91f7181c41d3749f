/// Row counts and file sizes of a store.
public struct StoreStatistics: Sendable, Equatable {
    public var events: Int
    public var features: Int
    public var devices: Int
    public var rawFrames: Int
    /// Total payload bytes of the stored raw frames.
    public var rawFrameBytes: Int64
    /// Size of the database file plus its write-ahead log.
    public var fileBytes: Int64

    public init(events: Int, features: Int, devices: Int, rawFrames: Int, rawFrameBytes: Int64, fileBytes: Int64) {
        self.events = events
        self.features = features
        self.devices = devices
        self.rawFrames = rawFrames
        self.rawFrameBytes = rawFrameBytes
        self.fileBytes = fileBytes
    }
}
