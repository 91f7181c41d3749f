/// Retries a request the device answered with "acknowledge" (05) or "server device busy" (06),
/// waiting with backoff between tries; any other outcome returns at once.
public struct ModbusRetry: Sendable {
    public var retries: Int
    public var initialDelay: Duration

    public init(retries: Int = 3, initialDelay: Duration = .milliseconds(20)) {
        self.retries = retries
        self.initialDelay = initialDelay
    }

    public func run<T>(_ body: () async throws(ModbusError) -> T) async throws(ModbusError) -> T {
        var backoff = Backoff(initial: initialDelay, maximum: initialDelay * 16)
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch where error.exception?.isRetryable == true && attempt < retries {
                attempt += 1
                try? await Task.sleep(for: backoff.next())
            }
        }
    }

    /// The blocking form for the serial bus thread.
    public func runBlocking<T>(_ body: () throws(ModbusError) -> T) throws(ModbusError) -> T {
        var backoff = Backoff(initial: initialDelay, maximum: initialDelay * 16)
        var attempt = 0
        while true {
            do {
                return try body()
            } catch where error.exception?.isRetryable == true && attempt < retries {
                attempt += 1
                sleepFor(backoff.next())
            }
        }
    }
}
