import Synchronization

/// The HTTP port once the server listens; port 0 in the config picks a free one, and tests and
/// operators need to know which (as `HTTPPortBox` does for the gateway).
public final class BoundPort: Sendable {
    private let value = Mutex<Int?>(nil)
    public init() {}
    public var port: Int? { value.withLock { $0 } }
    func set(_ port: Int?) { value.withLock { $0 = port } }
}
