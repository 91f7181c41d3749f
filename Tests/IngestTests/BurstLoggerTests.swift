import Ingest
import Logging
import Synchronization
import Testing

/// Collects log messages for assertions.
final class CapturedLogs: Sendable {
    let messages = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "captured") { _ in CapturingHandler(sink: self) }
    }

    struct CapturingHandler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            sink.messages.withLock { $0.append("\(event.message)") }
        }
    }
}

@Suite struct BurstLoggerTests {
    @Test func logsOncePerBurstThenSummarises() {
        let logs = CapturedLogs()
        var burst = BurstLogger(quietSeconds: 10)
        for i in 0..<100 { burst.report("bad frame \(i)", now: Int64(i) * 1_000, logger: logs.logger) }
        #expect(logs.messages.withLock { $0 } == ["bad frame 0"])
        burst.report("bad frame later", now: 20_000_000, logger: logs.logger)
        let messages = logs.messages.withLock { $0 }
        #expect(messages.count == 3)
        #expect(messages[1].hasPrefix("99 more like this"))
        #expect(messages[2] == "bad frame later")
    }

    @Test func aClockStepBackwardsStartsANewBurst() {
        let logs = CapturedLogs()
        var burst = BurstLogger(quietSeconds: 10)
        burst.report("a", now: 50_000_000, logger: logs.logger)
        burst.report("b", now: 1_000, logger: logs.logger)
        #expect(logs.messages.withLock { $0 } == ["a", "b"])
    }
}
