import Logging

/// Logs the first problem of a burst with its reason, then stays quiet for `quietSeconds` and
/// reports how many more it suppressed. Keeps malformed floods from flooding the log.
public struct BurstLogger: Sendable {
    public let quietMicros: Int64
    private var windowStart: Int64?
    private var suppressed = 0
    private var firstOfBurst = ""

    public init(quietSeconds: Double = 10) {
        self.quietMicros = Int64(quietSeconds * 1_000_000)
    }

    /// Reports one occurrence at `now` (Unix µs). Logs when a new burst starts.
    public mutating func report(
        _ message: @autoclosure () -> String, now: Int64, logger: Logger,
        metadata: @autoclosure () -> Logger.Metadata = [:]
    ) {
        if let start = windowStart, now >= start, now - start < quietMicros {
            suppressed += 1
        } else {
            flush(logger: logger)
            windowStart = now
            let text = message()
            firstOfBurst = text
            logger.info("\(text)", metadata: metadata())
        }
    }

    /// Logs the count suppressed since the burst began, if any.
    public mutating func flush(logger: Logger) {
        if suppressed > 0 {
            logger.info("\(suppressed) more like this were skipped without a log line: \(firstOfBurst)")
        }
        suppressed = 0
    }
}
