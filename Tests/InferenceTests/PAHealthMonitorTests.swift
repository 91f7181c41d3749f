import GatewayCore
@testable import Inference
import Foundation
import Testing

/// The health alarms' thresholds and hysteresis on scripted measurements.
@Suite struct PAHealthMonitorTests {
    static func measurement(time: Int64, vswr: Double = 1.2, compression: Double? = 0.1, celsius: Double = 50,
                            volts: Double = 28, amps: Double = 1) -> PAMeasurement {
        let gamma = (vswr - 1) / (vswr + 1)
        return PAMeasurement(time: time, rmsPowerDbm: 30, peakPowerDbm: 38, paprDb: 8, forwardPowerDbm: 30,
                             reflectedPowerDbm: 30 + 20 * log10(gamma), inputPowerDbm: 2, returnLossDb: -20 * log10(gamma),
                             reflectionCoefficient: gamma, vswr: vswr, gainDb: 28, compressionDb: compression,
                             drainEfficiency: 0.3, acprDb: -45, iqOffsetDb: 0, temperatureC: celsius, drainVoltage: volts,
                             drainCurrent: amps)
    }

    func run(_ values: [PAMeasurement]) -> [SensingEvent] {
        var monitor = PAHealthMonitor(settings: PASettings())
        var events: [SensingEvent] = []
        for m in values { events += monitor.observe(m, device: "pa") }
        events += monitor.finish(at: values.last?.time ?? 0)
        return events
    }

    @Test func eachAlarmOpensAndClosesOnceWithItsValues() {
        let cases: [(EventKind, (Int64, Bool) -> PAMeasurement, String, Double)] = [
            (.paVSWR, { t, bad in Self.measurement(time: t, vswr: bad ? 3 : 1.2) }, "vswr", 3),
            (.paCompression, { t, bad in Self.measurement(time: t, compression: bad ? 2.5 : 0.1) }, "compression_db", 2.5),
            (.paOvertemp, { t, bad in Self.measurement(time: t, celsius: bad ? 95 : 50) }, "temperature_c", 95),
            (.paSupply, { t, bad in Self.measurement(time: t, volts: bad ? 23 : 28) }, "drain_voltage_v", 23),
        ]
        for (kind, make, feature, value) in cases {
            let values = (0..<300).map { i in make(Int64(i) * 10_000, i >= 100 && i < 200) }
            let events = run(values)
            #expect(events.map(\.kind) == [kind, kind], "\(kind)")
            #expect(events.first?.end == nil)
            #expect(events.first?.start == 1_000_000, "opens at the first bad frame")
            #expect(events.last?.end == 2_000_000, "closes at the first good frame")
            #expect(events.last?.features.first { $0.name == feature }?.value == value)
            #expect((events.last?.confidence ?? 0) > 0.5)
            #expect(events.last?.modelVersion == PAHealthMonitor.modelVersion)
        }
    }

    @Test func aValueJitteringAroundTheThresholdRaisesOneAlarm() {
        // VSWR alternates 1.95 / 2.05 for 2 s: single frames over never make 5 in a row...
        let alternating = (0..<200).map { i in Self.measurement(time: Int64(i) * 10_000, vswr: i % 2 == 0 ? 1.95 : 2.05) }
        #expect(run(alternating).isEmpty)
        // ...and once raised, dips to 1.9 (above the 1.8 clear level) do not end it.
        var values = (0..<50).map { i in Self.measurement(time: Int64(i) * 10_000, vswr: 2.5) }
        values += (50..<200).map { i in Self.measurement(time: Int64(i) * 10_000, vswr: i % 3 == 0 ? 1.9 : 2.2) }
        let events = run(values)
        #expect(events.count == 2)
        #expect(events.last?.features.contains(NamedValue("closed_at_end_of_stream", 1)) == true)
    }

    @Test func overCurrentIsASupplyFault() {
        let values = (0..<100).map { i in Self.measurement(time: Int64(i) * 10_000, amps: i >= 20 ? 3.5 : 1) }
        let events = run(values)
        #expect(events.first?.kind == .paSupply)
        #expect(events.first?.features.first { $0.name == "drain_current_a" }?.value == 3.5)
    }

    @Test func settingsProblemsNameTheKey() {
        var s = PASettings()
        s.vswrClear = 2.5
        #expect(s.problems.first?.contains("vswr_clear") == true)
        s = PASettings()
        s.adjacentOffsetHz = 10e6
        #expect(s.problems.first?.contains("adjacent_offset_hz") == true)
        #expect(PASettings().problems.isEmpty)
    }
}
