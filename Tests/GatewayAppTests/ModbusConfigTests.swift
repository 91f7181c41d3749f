import Chronos
import GatewayApp
import GatewayCore
import Testing

@Suite struct ModbusConfigTests {
    @Test func readsTCPAndRTUDevices() throws {
        let config = try ConfigLoader.parse(yaml: """
            modbus:
              - name: press-1
                host: 10.0.0.20
                port: 1502
                unit: 3
                timeout_ms: 500
                max_outstanding: 4
                max_gap: 2
                heartbeat_seconds: 30
                points:
                  - {name: spindle_load, table: holding, address: 100, type: f32, word_order: little, unit: "%", period_ms: 100, deadband: 0.5}
                  - {name: running, table: coils, address: 0x10}
                  - {name: serial_no, table: input, address: 20, type: string, length: 4, byte_order: little}
                  - {name: setpoint, table: holding, address: 200, type: i16, scale: 0.1, offset: -40, writable: true}
              - name: meter-7
                serial: /dev/ttyUSB0
                baud: 9600
                parity: none
                stop_bits: 2
                unit: 7
                points:
                  - {name: energy, table: input, address: 0, type: u32}
            """)
        #expect(config.modbus.count == 2)
        let press = config.modbus[0]
        #expect(press.transport == .tcp(host: "10.0.0.20", port: 1502))
        #expect(press.unit == 3 && press.timeoutMillis == 500 && press.maxOutstanding == 4 && press.maxGap == 2 && press.heartbeatSeconds == 30)
        #expect(press.points[0] == ModbusPoint(name: "spindle_load", table: .holding, address: 100, type: .f32, layout: ModbusLayout(wordOrder: .little),
                                               unit: "%", periodMillis: 100, deadband: 0.5))
        #expect(press.points[1].address == 16 && press.points[1].type == .bool && press.points[1].deadband == nil)
        #expect(press.points[2].type == .string(registers: 4) && press.points[2].layout.byteOrder == .little)
        #expect(press.points[3].scale == 0.1 && press.points[3].offset == -40 && press.points[3].writable)
        let meter = config.modbus[1]
        #expect(meter.transport == .rtu(ModbusSerialLine(path: "/dev/ttyUSB0", baud: 9600, parity: .none, stopBits: 2)))
        #expect(meter.unit == 7 && meter.interByteTimeoutMillis == 50)
    }

    func error(_ yaml: String) -> String {
        do {
            _ = try ConfigLoader.parse(yaml: yaml, source: "gw.yaml")
            return "no error"
        } catch let error as GatewayError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func badValuesNameTheKeyAndTheFix() {
        let point = "points: [{name: a, table: holding, address: 1}]"
        #expect(error("modbus:\n  - {name: x, host: h, \(point), colour: red}").contains("unknown key 'modbus[0].colour'"))
        #expect(error("modbus:\n  - {name: x, host: h, points: [{name: a, table: holding, address: 1, tpye: f32}]}").contains("unknown key 'modbus[0].points[0].tpye', did you mean 'type'?"))
        #expect(error("modbus:\n  - {name: x, host: h, points: [{name: a, table: registers, address: 1}]}").contains("modbus[0].points[0].table 'registers' is not a table; use coils, discrete, holding or input"))
        #expect(error("modbus:\n  - {name: x, host: h, points: [{name: a, table: holding, address: 70000}]}").contains("modbus[0].points[0].address '70000' is not an address"))
        #expect(error("modbus:\n  - {name: x, host: h, points: [{name: a, table: holding, address: 1, type: f16}]}").contains("type 'f16' is not a type; use one of u16"))
        #expect(error("modbus:\n  - {name: x, host: h, points: [{name: a, table: coils, address: 1, type: f32}]}").contains("use type: bool"))
        #expect(error("modbus:\n  - {name: x, host: h, points: [{name: a, table: input, address: 1, writable: true}]}").contains("cannot be written"))
        #expect(error("modbus:\n  - {name: x, host: h, points: [{name: a, table: holding, address: 1, word_order: middle}]}").contains("word_order 'middle' is not an order; use big or little"))
        #expect(error("modbus:\n  - {name: x, \(point)}").contains("has neither host nor serial"))
        #expect(error("modbus:\n  - {name: x, host: h, serial: /dev/ttyS0, \(point)}").contains("sets both host and serial"))
        #expect(error("modbus:\n  - {name: x, serial: /dev/ttyS0, unit: 0, \(point)}").contains("modbus[0].unit is 0; use a value between 1 and 247"))
        #expect(error("modbus:\n  - {name: x, serial: /dev/ttyS0, baud: 12345, \(point)}").contains("12345 is not supported"))
        #expect(error("modbus:\n  - {name: x, serial: /dev/ttyS0, max_outstanding: 2, \(point)}").contains("must be 1 on a serial line"))
        #expect(error("modbus:\n  - {name: x, host: h, baud: 9600, \(point)}").contains("applies to serial devices only"))
        #expect(error("modbus:\n  - {name: x, host: h}").contains("modbus[0].points is empty"))
        #expect(error("modbus:\n  - {host: h, \(point)}").contains("modbus[0].name is missing"))
        #expect(error("modbus:\n  - {name: x, host: h, \(point)}\n  - {name: x, host: h2, \(point)}").contains("two modbus devices are named 'x'"))
        #expect(error("modbus:\n  - {name: x, host: h, points: [{name: a, table: holding, address: 1}, {name: a, table: holding, address: 2}]}").contains("names 'a' twice"))
        #expect(error("modbus:\n  - {name: x, host: h, timeout_ms: 0, \(point)}").contains("modbus[0].timeout_ms is 0; use a value between 10 and 60000"))
        #expect(error("modbus: {name: x}").contains("'modbus' must be a list"))
    }
}
