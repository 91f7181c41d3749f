import TestPeers
import Chronos
import Foundation
import GatewayCore
import Synchronization
import Testing

/// The serial instrument driver against a real pty pair from socat: the driver opens end a,
/// the test plays the instrument on end b.
@Suite(.serialized) struct SerialInstrumentDriverTests {
    func running(_ driver: SerialInstrumentDriver, _ sink: CollectingSink, _ body: () async throws -> Void) async throws {
        let task = Task { await driver.run(into: sink) }
        defer { task.cancel() }
        #expect(await waitFor(10) { driver.health().connected }, "the driver never opened the port")
        try await body()
        task.cancel()
        await task.value
        #expect(!driver.health().connected)
    }

    @Test func regexLinesWithGarbage() async throws {
        let pair = try SerialPTYPair()
        let settings = InstrumentSettings(
            name: "scale-1", path: pair.a, baud: 9600, terminator: .crlf,
            parsing: .regex(#"^(?<status>ST|US),(?<weight>[-+]?[0-9]+\.[0-9]+)\s*g$"#),
            points: [InstrumentPoint(name: "weight", unit: "g", scale: 0.001), InstrumentPoint(name: "status", type: .text)])
        let driver = try SerialInstrumentDriver(settings: settings, logger: quietLogger)
        let sink = CollectingSink()
        try await running(driver, sink) {
            let instrument = try SerialPTYWriter(path: pair.b)
            try instrument.write("ST,+0012.50 g\r\nUS,+0012.75 g\r\n#$%^&*\r\n")
            try instrument.write("ST,--- g\r\n\r\nST,-0001.25 g\r\n")
            #expect(await waitFor(5) { sink.points("weight").count == 3 })
        }
        let grams = sink.points("weight").compactMap(\.value.numeric)
        #expect(grams.count == 3 && zip(grams, [0.0125, 0.01275, -0.00125]).allSatisfy { abs($0 - $1) < 1e-12 }, "\(grams)")
        #expect(sink.points("weight").allSatisfy { $0.unit == "g" && $0.source == "scale-1" })
        #expect(sink.points("status").map(\.value) == [.text("ST"), .text("US"), .text("ST")])
        let health = driver.health()
        #expect(health.errors["malformed"] == 2, "\(health.errors)")
        #expect(health.lastError?.contains("'ST,--- g' does not match") == true, "\(health.lastError ?? "")")
        #expect(health.successes == 3)
    }

    @Test func delimitedFieldsWithCarriageReturnTerminator() async throws {
        let pair = try SerialPTYPair()
        let settings = InstrumentSettings(
            name: "climate-1", path: pair.a, baud: 115_200, parity: .even, stopBits: 2, terminator: .cr,
            parsing: .delimited(separator: ";"),
            points: [
                InstrumentPoint(name: "temperature", unit: "degC", field: 1),
                InstrumentPoint(name: "humidity", unit: "%", field: 2),
                InstrumentPoint(name: "alarm", type: .boolean, field: 4),
                InstrumentPoint(name: "counter", type: .integer, field: 3),
            ])
        let driver = try SerialInstrumentDriver(settings: settings, logger: quietLogger)
        let sink = CollectingSink()
        try await running(driver, sink) {
            let instrument = try SerialPTYWriter(path: pair.b)
            let long = String(repeating: "x", count: 5000)
            try instrument.write("23.5; 45.2;17;0\r23.5;abc;18;0\r1;2\r\(long)\r24.0;46.0;+19;1\r")
            #expect(await waitFor(5) { sink.points("temperature").count == 2 })
        }
        #expect(sink.points("temperature").map(\.value) == [.number(23.5), .number(24.0)])
        #expect(sink.points("humidity").map(\.value) == [.number(45.2), .number(46.0)])
        #expect(sink.points("counter").map(\.value) == [.integer(17), .integer(19)])
        #expect(sink.points("alarm").map(\.value) == [.boolean(false), .boolean(true)])
        #expect(driver.health().errors["malformed"] == 3, "\(driver.health().errors)")
    }

    @Test func requestResponseAndReopenAfterUnplug() async throws {
        let pair = try SerialPTYPair()
        let settings = InstrumentSettings(
            name: "meter-1", path: pair.a, terminator: .crlf, parsing: .regex(#"(?<volts>[-+]?[0-9.]+)V"#),
            points: [InstrumentPoint(name: "volts", unit: "V")], request: "R\r\n", pollMillis: 50,
            reopenInitialMillis: 20, reopenMaxMillis: 200)
        let driver = try SerialInstrumentDriver(settings: settings, logger: quietLogger)
        let sink = CollectingSink()
        let requests = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        try await running(driver, sink) {
            // The instrument: answers every "R\r\n" with a reading, echoing the request first.
            let instrument = try SerialPTYWriter(path: pair.b)
            let responder = Thread {
                var pending: [UInt8] = []
                while !stop.load(ordering: .acquiring) {
                    pending += instrument.read(timeoutMilliseconds: 20)
                    while let end = pending.firstIndex(of: 0x0A) {
                        let request = String(decoding: pending[...end], as: UTF8.self)
                        pending.removeSubrange(...end)
                        guard request == "R\r\n" else { continue }
                        let n = requests.add(1, ordering: .relaxed).newValue
                        try? instrument.write("R\r\n+\(n).5V\r\n")
                    }
                }
            }
            responder.start()
            #expect(await waitFor(5) { sink.points("volts").count >= 4 })
            stop.store(true, ordering: .releasing)
            try await Task.sleep(for: .milliseconds(50))
            #expect(driver.health().meanLatencySeconds != nil, "latency of the answers is measured")
            #expect(driver.health().errors["malformed"] == nil, "the echoed request is not a reading: \(driver.health().errors)")

            // Unplug: socat goes away, the driver counts it and reopens when it is back.
            pair.stop()
            #expect(await waitFor(5) { !driver.health().connected })
            #expect(await waitFor(5) { (driver.health().errors["closed"] ?? 0) >= 1 })
            try pair.start()
            #expect(await waitFor(10) { driver.openCount >= 2 && driver.health().connected })
            let again = try SerialPTYWriter(path: pair.b)
            let before = sink.points("volts").count
            try again.write("+9.25V\r\n")
            #expect(await waitFor(5) { sink.points("volts").count > before })
            #expect(sink.points("volts").last?.value == .number(9.25))
        }
        #expect(requests.load(ordering: .relaxed) >= 4)
        let values = sink.points("volts").prefix(4).map(\.value)
        #expect(values == [1.5, 2.5, 3.5, 4.5].map { .number($0) })
    }

    @Test func settingsErrorsNameTheFix() {
        let bad = InstrumentSettings(name: "x", path: "/dev/null", parsing: .regex("(?<a>[0-9]+"), points: [InstrumentPoint(name: "a")])
        #expect { try bad.validate() } throws: { "\($0)".contains("does not compile") }
        let underscore = InstrumentSettings(name: "x", path: "/dev/null", parsing: .regex("(?<temp_c>[0-9]+)"), points: [InstrumentPoint(name: "temp_c")])
        #expect { try underscore.validate() } throws: { "\($0)".contains("letters and digits") }
        let noField = InstrumentSettings(name: "x", path: "/dev/null", parsing: .delimited(separator: ","), points: [InstrumentPoint(name: "a")])
        #expect { try noField.validate() } throws: { "\($0)".contains("1-based position") }
        let baud = InstrumentSettings(name: "x", path: "/dev/null", baud: 1234, parsing: .delimited(separator: ","), points: [InstrumentPoint(name: "a", field: 1)])
        #expect { try baud.validate() } throws: { "\($0)".contains("1234") }
    }
}
