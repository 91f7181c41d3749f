import TestPeers
import Foundation
import Testing

/// `gateway shdr tail` against a real adapter on 127.0.0.1.
@Suite(.serialized) struct ShdrTailCommandTests {
    @Test func printsTheParsedStreamAndStopsAfterCount() throws {
        let adapter = try ShdrTestAdapter(greeting: [
            "* shdrVersion: 2",
            "2024-05-01T12:00:00.000Z|Srpm|1200|execution|ACTIVE",
            "2024-05-01T12:00:00.100Z|system|FAULT|E042|2||Spindle overload",
            "garbage",
            "2024-05-01T12:00:00.200Z|Xts|3|100|1 2 3|Srpm|UNAVAILABLE",
            "2024-05-01T12:00:00.300Z|Srpm|1300",
        ], pongMillis: 5000, greetAfterPing: true)
        defer { adapter.stop() }
        let result = try TestSupport.runGateway(["shdr", "tail", "127.0.0.1:\(adapter.port)", "--count", "5", "--timeout", "10",
                                                 "--item", "system=condition", "--item", "Xts=time_series"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let items = lines.filter { !$0.hasPrefix("#") }
        #expect(items.count == 5, "\(result.stdout)")
        #expect(items.first == "2024-05-01T12:00:00.000Z  Srpm  value  1200")
        #expect(items.contains("2024-05-01T12:00:00.100Z  system  condition  FAULT E042 2 Spindle overload"))
        #expect(items.contains("2024-05-01T12:00:00.200Z  Xts  time_series  3 values at 100.0 Hz: 1.0 2.0 3.0"))
        #expect(items.last == "2024-05-01T12:00:00.200Z  Srpm  value  UNAVAILABLE")
        #expect(lines.contains("# command shdrVersion: 2"))
        #expect(lines.contains("# heartbeat: * PONG 5000 (dead after 10000 ms of silence)"))
        #expect(lines.contains { $0.hasPrefix("# malformed: time stamp 'garbage'") })
    }

    @Test func tooFewItemsBeforeTheTimeoutFails() throws {
        let adapter = try ShdrTestAdapter(greeting: ["|Srpm|1"], pongMillis: 5000)
        defer { adapter.stop() }
        let result = try TestSupport.runGateway(["shdr", "tail", "127.0.0.1:\(adapter.port)", "--count", "3", "--timeout", "0.5"])
        #expect(result.status != 0)
        #expect(result.stdout.contains("Srpm  value  1"))
        #expect(result.stderr.contains("only 1 of 3 item(s) arrived within 0.5 s"), "\(result.stderr)")
    }

    @Test func cannotConnectIsAClearError() throws {
        // A port that was just free: bind, read the number, close.
        let adapter = try ShdrTestAdapter()
        let port = adapter.port
        adapter.stop()
        let result = try TestSupport.runGateway(["shdr", "tail", "127.0.0.1:\(port)", "--timeout", "5"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot connect to the SHDR adapter at 127.0.0.1:\(port)"), "\(result.stderr)")
        let bad = try TestSupport.runGateway(["shdr", "tail", "127.0.0.1:99999"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("not a port"), "\(bad.stderr)")
    }
}
