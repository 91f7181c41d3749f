/// What one committed write did.
public struct WriteResult: Sendable, Equatable {
    /// Rows inserted or updated (raw frames only when they are stored).
    public var rowsWritten: Int
    /// Raw frames deleted (or not inserted) to keep the ring under its byte cap.
    public var rawFramesEvicted: Int
    /// Entries appended to the Merkle log.
    public var logEntries: Int
    /// Size of the checkpoint this write signed, if it signed one.
    public var checkpointSize: UInt64?

    public init(rowsWritten: Int = 0, rawFramesEvicted: Int = 0, logEntries: Int = 0, checkpointSize: UInt64? = nil) {
        self.rowsWritten = rowsWritten
        self.rawFramesEvicted = rawFramesEvicted
        self.logEntries = logEntries
        self.checkpointSize = checkpointSize
    }
}
