/// What one committed write did.
public struct WriteResult: Sendable, Equatable {
    /// Rows inserted or updated (raw frames only when they are stored).
    public var rowsWritten: Int
    /// Raw frames deleted (or not inserted) to keep the ring under its byte cap.
    public var rawFramesEvicted: Int

    public init(rowsWritten: Int = 0, rawFramesEvicted: Int = 0) {
        self.rowsWritten = rowsWritten
        self.rawFramesEvicted = rawFramesEvicted
    }
}
