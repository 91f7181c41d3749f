@testable import Chronos
import GatewayCore
import Testing

@Suite struct ShdrSampleMapperTests {
    let items = [
        ShdrItemMapping(key: "Srpm", point: "spindle_speed", kind: .sample, unit: "rpm"),
        ShdrItemMapping(key: "load", point: "spindle_load", kind: .sample, unit: "%", scale: 0.1),
        ShdrItemMapping(key: "pcount", point: "parts", kind: .event),
        ShdrItemMapping(key: "execution", kind: .event),
        ShdrItemMapping(key: "system", point: "system_condition", kind: .condition),
        ShdrItemMapping(key: "msg", point: "operator_message", kind: .message),
        ShdrItemMapping(key: "Xts", point: "x_vibration", kind: .timeSeries, unit: "mm/s"),
    ]

    func map(_ line: String, passUnmapped: Bool = false) -> ([TelemetrySample], ShdrSampleMapper) {
        let parser = ShdrLineParser(mappings: items)
        var mapper = ShdrSampleMapper(source: "mill-1", mappings: items, passUnmapped: passUnmapped)
        var out: [TelemetrySample] = []
        if case .data(let data) = parser.parse(line, receivedAt: 5) { mapper.samples(from: data, into: &out) }
        return (out, mapper)
    }

    @Test func kindsBecomeTypedSamples() {
        let t: Int64 = 1_412_035_173_000_000
        let (samples, _) = map("2014-09-29T23:59:33Z|Srpm|5000|load|455|pcount|12:DAY|execution|ACTIVE|system|FAULT|E042|2||Spindle overload|msg|M1|Check coolant|Xts|3|1000|1 2 3")
        #expect(samples == [
            TelemetrySample(source: "mill-1", point: "spindle_speed", value: .number(5000), unit: "rpm", time: t),
            TelemetrySample(source: "mill-1", point: "spindle_load", value: .number(45.5), unit: "%", time: t),
            TelemetrySample(source: "mill-1", point: "parts", value: .integer(12), time: t),
            TelemetrySample(source: "mill-1", point: "execution", value: .text("ACTIVE"), time: t),
            TelemetrySample(source: "mill-1", point: "system_condition", value: .text("FAULT E042: Spindle overload"), time: t),
            TelemetrySample(source: "mill-1", point: "operator_message", value: .text("M1: Check coolant"), time: t),
            TelemetrySample(source: "mill-1", point: "x_vibration", value: .number(1), unit: "mm/s", time: t),
            TelemetrySample(source: "mill-1", point: "x_vibration", value: .number(2), unit: "mm/s", time: t + 1000),
            TelemetrySample(source: "mill-1", point: "x_vibration", value: .number(3), unit: "mm/s", time: t + 2000),
        ])
    }

    @Test func unavailableIsUncertain() {
        let (samples, _) = map("2014-09-29T23:59:33Z|Srpm|UNAVAILABLE|system|UNAVAILABLE||||")
        #expect(samples.map(\.quality) == [.uncertain, .uncertain])
        #expect(samples.map(\.point) == ["spindle_speed", "system_condition"])
    }

    @Test func unmappedKeysAreCountedAndOptionallyPassed() {
        let (dropped, mapper) = map("2014-09-29T23:59:33Z|Xact|1.5|mode|AUTOMATIC|Xact|1.6")
        #expect(dropped.isEmpty)
        #expect(mapper.unmapped == ["Xact": 2, "mode": 1])
        let (passed, _) = map("2014-09-29T23:59:33Z|Xact|1.5|mode|AUTOMATIC", passUnmapped: true)
        #expect(passed.map(\.value) == [.number(1.5), .text("AUTOMATIC")])
        #expect(passed.map(\.point) == ["Xact", "mode"])
    }
}
