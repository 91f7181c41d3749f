import Chronos
import GatewayApp
import GatewayCore
import Testing

/// The `shdr:` and `instruments:` sections.
@Suite struct ConfigMachinesTests {
    @Test func readsAdaptersAndInstruments() throws {
        let config = try ConfigLoader.parse(yaml: #"""
            shdr:
              - name: mill-1
                host: 192.168.1.20
                heartbeat_timeout_ms: 20000
                pass_unmapped: true
                items:
                  - { key: Srpm, point: spindle_speed, unit: rpm }
                  - { key: load, point: spindle_load, kind: sample, unit: "%", scale: 0.1 }
                  - { key: system, point: system_condition, kind: condition }
                  - { key: Xts, kind: time_series }
              - { name: lathe-2, host: lathe-2.local, port: 7879 }
            instruments:
              - name: scale-1
                path: /dev/ttyUSB1
                baud: 19200
                parity: even
                terminator: crlf
                regex: '^(?<status>ST|US),(?<weight>[-+]?[0-9.]+) g$'
                request: "R\r\n"
                poll_ms: 500
                points:
                  - { name: weight, unit: g }
                  - { name: status, type: text }
              - name: climate
                path: /dev/ttyUSB2
                delimiter: ";"
                points:
                  - { name: temperature, field: 1, unit: degC, offset: -0.5 }
                  - { name: alarm, field: 3, type: boolean }
            """#)
        #expect(config.shdr.count == 2)
        let mill = config.shdr[0]
        #expect(mill.name == "mill-1" && mill.host == "192.168.1.20" && mill.port == 7878)
        #expect(mill.heartbeatTimeoutMillis == 20000 && mill.passUnmapped)
        #expect(mill.items == [
            ShdrItemMapping(key: "Srpm", point: "spindle_speed", kind: .sample, unit: "rpm"),
            ShdrItemMapping(key: "load", point: "spindle_load", kind: .sample, unit: "%", scale: 0.1),
            ShdrItemMapping(key: "system", point: "system_condition", kind: .condition),
            ShdrItemMapping(key: "Xts", point: "Xts", kind: .timeSeries),
        ])
        #expect(config.shdr[1].port == 7879)
        #expect(config.instruments.count == 2)
        let scale = config.instruments[0]
        #expect(scale.baud == 19200 && scale.parity == .even && scale.terminator == .crlf)
        #expect(scale.request == "R\r\n" && scale.pollMillis == 500)
        #expect(scale.parsing == .regex("^(?<status>ST|US),(?<weight>[-+]?[0-9.]+) g$"))
        #expect(scale.points.map(\.type) == [.number, .text])
        #expect(config.instruments[1].parsing == .delimited(separator: ";"))
        #expect(config.instruments[1].points[0] == InstrumentPoint(name: "temperature", unit: "degC", offset: -0.5, field: 1))
    }

    func failure(_ yaml: String) -> String {
        do {
            _ = try ConfigLoader.parse(yaml: yaml)
            return "(no error)"
        } catch let error as GatewayError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func errorsNameTheKeyAndTheFix() {
        #expect(failure("shdr: [{ name: m, host: h, hots: x }]").contains("unknown key 'shdr[0].hots'"))
        #expect(failure("shdr: [{ name: m, host: h, items: [{ key: a, kind: alarm }] }]").contains("shdr[0].items[0].kind 'alarm' is not a kind; use one of sample, event, condition, message, time_series"))
        #expect(failure("shdr: [{ name: m, host: h, items: [{ key: a, pont: b }] }]").contains("unknown key 'shdr[0].items[0].pont', did you mean 'point'?"))
        #expect(failure("shdr: [{ name: m }]").contains("shdr[0].host is missing"))
        #expect(failure("shdr: [{ name: m, host: h, port: 0 }]").contains("shdr[0].port"))
        #expect(failure("shdr: [{ name: m, host: h, items: {key: a} }]").contains("shdr[0].items must be a list"))
        #expect(failure("shdr: [{ name: m, host: h }, { name: m, host: g }]").contains("two shdr adapters are named 'm'"))
        #expect(failure("instruments: [{ name: i, path: /dev/x, points: [{ name: a, field: 1 }] }]").contains("needs exactly one of regex"))
        #expect(failure("instruments: [{ name: i, path: /dev/x, delimiter: ',', regex: 'a', points: [{ name: a, field: 1 }] }]").contains("needs exactly one of regex"))
        #expect(failure("instruments: [{ name: i, path: /dev/x, delimiter: ',', points: [{ name: a }] }]").contains("1-based position"))
        #expect(failure("instruments: [{ name: i, path: /dev/x, delimiter: ',', terminator: crcr, points: [{ name: a, field: 1 }] }]").contains("use lf, cr or crlf"))
        #expect(failure("instruments: [{ name: i, path: /dev/x, delimiter: ',', points: [{ name: a, field: 1, type: float }] }]").contains("use one of number, integer, text, boolean"))
        #expect(failure("shdr: [{ name: m, host: h }]\ninstruments: [{ name: m, path: /dev/x, delimiter: ',', points: [{ name: a, field: 1 }] }]").contains("already used"))
    }
}

/// The `pa:` section.
@Suite struct ConfigPATests {
    @Test func readsDefaultsAndPerDeviceOverrides() throws {
        let config = try ConfigLoader.parse(yaml: #"""
            pa:
              vswr_alarm: 2.5
              vswr_clear: 2.0
              small_signal_gain_db: 27.5
              devices:
                - { device: pa-roof, overtemp_c: 95, overtemp_clear_c: 90 }
            """#)
        #expect(config.pa.defaults.vswrAlarm == 2.5)
        #expect(config.pa.defaults.smallSignalGainDb == 27.5)
        #expect(config.pa.defaults.overtempC == 85)
        let roof = config.pa.settings(for: "pa-roof")
        #expect(roof.overtempC == 95 && roof.vswrAlarm == 2.5, "overrides start from the section's values")
        #expect(config.pa.settings(for: "other").overtempC == 85)
    }

    @Test func inconsistentThresholdsNameTheKey() {
        #expect(throws: GatewayError.self) {
            try ConfigLoader.parse(yaml: "pa:\n  vswr_alarm: 2\n  vswr_clear: 3\n")
        }
        do {
            _ = try ConfigLoader.parse(yaml: "pa:\n  devices:\n    - { device: a, drain_voltage_min: 40 }\n")
            Issue.record("accepted a minimum above the maximum")
        } catch let error as GatewayError {
            #expect(error.message.contains("pa.devices[0]") && error.message.contains("drain_voltage_min"), "\(error.message)")
        } catch {
            Issue.record("\(error)")
        }
        do {
            _ = try ConfigLoader.parse(yaml: "pa:\n  vswr_alarms: 2\n")
            Issue.record("accepted an unknown key")
        } catch let error as GatewayError {
            #expect(error.message.contains("vswr_alarm"), "suggests the right key: \(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }
}
