@testable import Chronos
import GatewayCore
import TestPeers
import Testing

@Suite struct ShdrLineParserTests {
    let parser = ShdrLineParser(kinds: ["htemp": .condition, "system": .condition, "msg": .message, "Xts": .timeSeries])
    let now: Int64 = 1_700_000_000_000_000

    func data(_ line: String) throws -> ShdrDataLine {
        guard case .data(let data) = parser.parse(line, receivedAt: now) else {
            Issue.record("'\(line)' did not parse as data: \(parser.parse(line, receivedAt: now))")
            throw CancellationError()
        }
        return data
    }

    @Test func severalSamplesOnOneLine() throws {
        let d = try data("2014-09-29T23:59:33.460470Z|Xact|-1.1761875153|Srpm|5000|execution|ACTIVE")
        #expect(d.time == 1_412_035_173_460_470)
        #expect(d.timeFromAdapter)
        #expect(d.observations.map(\.key) == ["Xact", "Srpm", "execution"])
        #expect(d.observations[0].value == .value("-1.1761875153", resetTrigger: nil))
        #expect(d.observations[2].value == .value("ACTIVE", resetTrigger: nil))
        #expect(!d.observations[0].configured)
        #expect(d.problem == nil)
    }

    @Test func timeStampForms() {
        #expect(ShdrTimestamp.parse("2024-05-01T12:00:00Z")?.micros == 1_714_564_800_000_000)
        #expect(ShdrTimestamp.parse("2024-05-01T12:00:00")?.micros == 1_714_564_800_000_000)
        #expect(ShdrTimestamp.parse("2024-05-01T12:00:00.5Z")?.micros == 1_714_564_800_500_000)
        #expect(ShdrTimestamp.parse("2024-05-01T12:00:00.123456789Z")?.micros == 1_714_564_800_123_456)
        #expect(ShdrTimestamp.parse("2024-05-01T14:00:00+02:00")?.micros == 1_714_564_800_000_000)
        #expect(ShdrTimestamp.parse("1970-01-01T00:00:00Z")?.micros == 0)
        #expect(ShdrTimestamp.parse("2000-02-29T00:00:00Z")?.micros == 951_782_400_000_000)
        let withDuration = ShdrTimestamp.parse("2014-09-29T23:59:33.460470Z@100.0")
        #expect(withDuration?.durationSeconds == 100)
        #expect(withDuration?.micros == 1_412_035_173_460_470)
        for bad in ["", "2024-05-01", "2024-13-01T00:00:00Z", "2024-05-01T12:00:00Zjunk", "yesterday", "2024-05-01T12:00:00@x"] {
            #expect(ShdrTimestamp.parse(bad[...]) == nil, "\(bad)")
        }
    }

    @Test func emptyTimeStampUsesReceiveTime() throws {
        let d = try data("|Srpm|100")
        #expect(d.time == now)
        #expect(!d.timeFromAdapter)
    }

    @Test func durationAndResetTriggers() throws {
        let d = try data("2014-09-29T23:59:33.460470Z@100.0|pcount|0:DAY|other|12:MANUAL|clock|12:30|prog|\"O1234: MAIN\"")
        #expect(d.durationSeconds == 100)
        #expect(d.observations[0].value == .value("0", resetTrigger: "DAY"))
        #expect(d.observations[1].value == .value("12", resetTrigger: "MANUAL"))
        #expect(d.observations[2].value == .value("12:30", resetTrigger: nil))
        #expect(d.observations[3].value == .value("O1234: MAIN", resetTrigger: nil))
    }

    @Test func quotedValueWithEscapedPipe() throws {
        let d = try data(#"2009-06-15T00:00:00.000000|description|"Text with \| (pipe) character."|Srpm|1"#)
        #expect(d.observations[0].value == .value("Text with | (pipe) character.", resetTrigger: nil))
        #expect(d.observations[1].key == "Srpm")
    }

    @Test func conditionMessageAndTimeSeries() throws {
        let c = try data("2014-09-29T23:59:33.460470Z|htemp|WARNING|HTEMP|1|HIGH|Oil Temperature High")
        #expect(c.observations == [ShdrObservation(key: "htemp", kind: .condition, value: .condition(
            level: .warning, nativeCode: "HTEMP", nativeSeverity: "1", qualifier: "HIGH", message: "Oil Temperature High"))])
        let normal = try data("2014-09-29T23:59:33Z|system|normal||||")
        #expect(normal.observations.first?.value == .condition(level: .normal, nativeCode: "", nativeSeverity: "", qualifier: "", message: ""))
        let shortUnavailable = try data("2014-09-29T23:59:33Z|system|UNAVAILABLE")
        #expect(shortUnavailable.observations.first?.value == .condition(level: .unavailable, nativeCode: "", nativeSeverity: "", qualifier: "", message: ""))
        let m = try data("2014-09-29T23:59:33.460470Z|msg|CHG_INSRT|Change Inserts|Srpm|10")
        #expect(m.observations[0].value == .message(nativeCode: "CHG_INSRT", text: "Change Inserts"))
        #expect(m.observations[1].value == .value("10", resetTrigger: nil))
        let t = try data("2014-09-29T23:59:33.460470Z|Xts|10|100|1 2 3 4 5 6 7 8 9 10")
        #expect(t.observations[0].value == .timeSeries(rateHertz: 100, values: (1...10).map(Double.init)))
        let noRate = try data("2014-09-29T23:59:33Z|Xts|2||1.5 2.5")
        #expect(noRate.observations[0].value == .timeSeries(rateHertz: nil, values: [1.5, 2.5]))
    }

    @Test func deviceprefixedKeysFindTheirKind() throws {
        let d = try data("2014-09-29T23:59:33Z|dev1:htemp|FAULT|E1|2||Too hot")
        #expect(d.observations.first?.kind == .condition)
        #expect(d.observations.first?.key == "dev1:htemp")
    }

    @Test func unavailableValues() throws {
        let d = try data("2014-09-29T23:59:33Z|Srpm|UNAVAILABLE|Xts|UNAVAILABLE||UNAVAILABLE|msg|UNAVAILABLE|")
        #expect(d.observations.map(\.value) == [.unavailable, .unavailable, .unavailable])
    }

    @Test func commandsAndHeartbeat() {
        #expect(parser.parse("* shdrVersion: 2", receivedAt: now) == .command(key: "shdrVersion", value: "2"))
        #expect(parser.parse("* uuid: 000-111-222", receivedAt: now) == .command(key: "uuid", value: "000-111-222"))
        #expect(parser.parse("* PONG 10000", receivedAt: now) == .pong(intervalMillis: 10000))
        #expect(parser.parse("* PING", receivedAt: now) == .ping)
        #expect(parser.parse("", receivedAt: now) == .empty)
        guard case .malformed = parser.parse("* PONG", receivedAt: now) else { Issue.record("PONG without interval"); return }
        guard case .malformed = parser.parse("* nonsense", receivedAt: now) else { Issue.record("command without colon"); return }
    }

    @Test func malformedLinesSayWhy() throws {
        func reason(_ line: String) -> String? {
            if case .malformed(let reason) = parser.parse(line, receivedAt: now) { return reason }
            return nil
        }
        #expect(reason("not a time|Srpm|1")?.contains("not ISO 8601") == true)
        #expect(reason("2014-09-29T23:59:33Z")?.contains("no key") == true)
        #expect(reason("2014-09-29T23:59:33Z|Srpm")?.contains("no value") == true)
        #expect(reason("2014-09-29T23:59:33Z|htemp|HOT|x|y|z|w")?.contains("NORMAL, WARNING") == true)
        #expect(reason("2014-09-29T23:59:33Z|Xts|3|10|1 2")?.contains("announces 3 values but has 2") == true)
        #expect(reason("2014-09-29T23:59:33Z|Xts|x|10|1 2")?.contains("not a whole number") == true)
        // A problem after good items keeps the items and reports the problem.
        let partial = try data("2014-09-29T23:59:33Z|Srpm|10|Xts|3|10|1 2")
        #expect(partial.observations.count == 1)
        #expect(partial.problem?.contains("announces 3") == true)
    }

    @Test func garbageNeverCrashes() {
        var generator = SplitMix(seed: 7)
        let alphabet = Array("|*:@\"\\ 0123456789.-TZabcUNAVAILBE\t")
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 60)
            let line = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            _ = parser.parse(line, receivedAt: now)
        }
    }
}

@Suite struct ShdrParserThroughput {
    /// Not a benchmark gate: prints the parse rate of a typical 6-item line (in whatever build
    /// configuration the tests run; release is several times faster).
    @Test func printsLinesPerSecond() {
        let parser = ShdrLineParser(kinds: ["system": .condition])
        let line = "2024-05-01T12:00:00.123456Z|Xact|-1.1761875153|Yact|20.5|Srpm|5000|execution|ACTIVE|pcount|12:DAY|system|NORMAL||||"
        let count = 50_000
        let start = ContinuousClock.now
        var items = 0
        for i in 0..<count {
            if case .data(let d) = parser.parse(line, receivedAt: Int64(i)) { items += d.observations.count }
        }
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        #expect(items == count * 6)
        print("shdr parser: \(Int(Double(count) / seconds)) lines/s, \(Int(Double(items) / seconds)) items/s")
    }
}

@Suite struct ShdrAssetLineTests {
    @Test func assetsAreNotTelemetryAndMultilineBodiesAreMarked() {
        let parser = ShdrLineParser()
        let start = parser.parse("2012-02-21T23:59:33.460470Z|@ASSET@|KSSP300R.1|CuttingTool|--multiline--0FED07ACED", receivedAt: 0)
        guard case .data(let data) = start else { Issue.record("\(start)"); return }
        #expect(data.observations.isEmpty)
        #expect(data.multilineEnd == "--multiline--0FED07ACED")
        let single = parser.parse("2012-02-21T23:59:33Z|Srpm|1|@REMOVE_ASSET@|KSSP300R.1", receivedAt: 0)
        guard case .data(let other) = single else { Issue.record("\(single)"); return }
        #expect(other.observations.map(\.key) == ["Srpm"])
        #expect(other.multilineEnd == nil && other.problem == nil)
    }
}
