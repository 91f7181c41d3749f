/// How a ``GatewayStore`` behaves; read once when the store opens.
public struct StoreOptions: Sendable {
    /// Cap on the total payload bytes of stored raw frames. 0 turns raw frames off: they are
    /// ignored by writes. When above 0 the raw frames table is a ring:
    /// the oldest rows are deleted in the same transaction that would exceed the cap, and the
    /// number deleted is reported in ``WriteResult/rawFramesEvicted``.
    public var rawFramesMaxBytes: Int64
    /// How long a connection waits for a lock held by another connection or process.
    public var busyTimeoutSeconds: Double
    /// Calibrations kept per device: a write that adds one deletes that device's oldest rows
    /// beyond this count. 0 keeps every row.
    public var calibrationsKeptPerDevice: Int
    /// The Merkle log's checkpoint signing (entries are logged in any case).
    public var log: LogOptions

    public init(rawFramesMaxBytes: Int64 = 0, busyTimeoutSeconds: Double = 5, calibrationsKeptPerDevice: Int = 20,
                log: LogOptions = LogOptions()) {
        self.rawFramesMaxBytes = rawFramesMaxBytes
        self.busyTimeoutSeconds = busyTimeoutSeconds
        self.calibrationsKeptPerDevice = calibrationsKeptPerDevice
        self.log = log
    }

    /// Whether raw frames are stored at all.
    public var storesRawFrames: Bool { rawFramesMaxBytes > 0 }
}
