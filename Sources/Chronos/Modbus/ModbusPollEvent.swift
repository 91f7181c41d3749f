/// One completed read of a polling plan, for tests and the scheduling benchmark.
public struct ModbusPollEvent: Sendable {
    public var device: String
    public var block: Int
    /// How late the read started against its schedule (negative: early).
    public var lateness: Duration
    public var succeeded: Bool
}
