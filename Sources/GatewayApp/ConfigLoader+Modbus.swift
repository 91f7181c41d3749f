import Chronos
import GatewayCore
import Ingest

/// The `modbus:` section: a list of devices, each reached over TCP (`host`) or a serial line
/// (`serial`), with its `points`. See Deploy/gateway.yaml for an example.
extension ConfigLoader {
    static func parseModbus(_ reader: inout ConfigReader, source: String) throws -> [ModbusDeviceSettings] {
        var devices: [ModbusDeviceSettings] = []
        try reader.list("modbus") { r in
            devices.append(try parseModbusDevice(&r, source: source))
        }
        var seen: Set<String> = []
        for device in devices where !seen.insert(device.name).inserted {
            throw GatewayError(.invalidConfig, "\(source): two modbus devices are named '\(device.name)'; give each a unique name (it is the source of its samples)")
        }
        var lines: [String: ModbusSerialLine] = [:]
        for device in devices {
            guard case .rtu(let line) = device.transport else { continue }
            if let other = lines[line.path], other != line {
                throw GatewayError(.invalidConfig, "\(source): modbus devices on \(line.path) disagree on baud, parity or stop_bits; one serial line has one setting")
            }
            lines[line.path] = line
        }
        return devices
    }

    private static func parseModbusDevice(_ r: inout SectionReader, source: String) throws -> ModbusDeviceSettings {
        let where_ = "\(source): \(r.section)"
        let name = try r.string("name", default: "", pattern: "^[A-Za-z0-9._:/@-]{1,64}$", hint: "use 1-64 letters, digits, '.', '_', ':', '/', '@' or '-'")
        guard !name.isEmpty else { throw GatewayError(.invalidConfig, "\(where_).name is missing; name the device, like 'name: press-1'") }
        let host = try r.string("host", default: "")
        let serial = try r.string("serial", default: "")
        let transport: ModbusDeviceSettings.Transport
        switch (host.isEmpty, serial.isEmpty) {
        case (false, true):
            let port = try r.int("port", default: 502, in: 1...65535)
            for key in ["baud", "parity", "stop_bits"] where r.has(key) {
                throw GatewayError(.invalidConfig, "\(where_).\(key) applies to serial devices only; remove it or replace 'host' with 'serial: /dev/ttyUSB0'")
            }
            transport = .tcp(host: host, port: port)
        case (true, false):
            if r.has("port") {
                throw GatewayError(.invalidConfig, "\(where_).port applies to TCP devices only; remove it (a serial device takes baud, parity, stop_bits)")
            }
            var line = ModbusSerialLine(path: serial)
            line.baud = try r.int("baud", default: line.baud, in: 1200...4_000_000)
            do { _ = try SerialPort.speed(forBaud: line.baud) } catch let error as GatewayError {
                throw GatewayError(.invalidConfig, "\(where_).baud: \(error.message)")
            }
            let parity = try r.string("parity", default: line.parity.rawValue)
            guard let parsed = SerialSettings.Parity(rawValue: parity) else {
                throw GatewayError(.invalidConfig, "\(where_).parity '\(parity)' is not known; use none, even or odd")
            }
            line.parity = parsed
            line.stopBits = try r.int("stop_bits", default: line.stopBits, in: 1...2)
            transport = .rtu(line)
        case (false, false):
            throw GatewayError(.invalidConfig, "\(where_) sets both host and serial; keep 'host' for Modbus TCP or 'serial' for Modbus RTU")
        case (true, true):
            throw GatewayError(.invalidConfig, "\(where_) has neither host nor serial; add 'host: 10.0.0.20' (Modbus TCP) or 'serial: /dev/ttyUSB0' (Modbus RTU)")
        }
        var device = ModbusDeviceSettings(name: name, transport: transport)
        if case .rtu = transport {
            device.unit = UInt8(try r.int("unit", default: 1, in: 1...247))
            device.interByteTimeoutMillis = 50
        } else {
            device.unit = UInt8(try r.int("unit", default: 1, in: 0...255))
        }
        device.timeoutMillis = try r.int("timeout_ms", default: device.timeoutMillis, in: 10...60_000)
        device.interByteTimeoutMillis = try r.int("inter_byte_timeout_ms", default: device.interByteTimeoutMillis, in: 1...10_000)
        device.maxOutstanding = try r.int("max_outstanding", default: device.maxOutstanding, in: 1...64)
        if case .rtu = transport, device.maxOutstanding > 1 {
            throw GatewayError(.invalidConfig, "\(where_).max_outstanding must be 1 on a serial line (one request at a time on the bus); remove it")
        }
        device.maxGap = try r.int("max_gap", default: device.maxGap, in: 0...124)
        device.heartbeatSeconds = try r.double("heartbeat_seconds", default: device.heartbeatSeconds, in: 0...86_400)
        device.busyRetries = try r.int("busy_retries", default: device.busyRetries, in: 0...20)
        device.reconnectInitialMillis = try r.int("reconnect_initial_ms", default: device.reconnectInitialMillis, in: 1...600_000)
        device.reconnectMaxMillis = try r.int("reconnect_max_ms", default: device.reconnectMaxMillis, in: 1...3_600_000)
        guard device.reconnectInitialMillis <= device.reconnectMaxMillis else {
            throw GatewayError(.invalidConfig, "\(where_).reconnect_initial_ms (\(device.reconnectInitialMillis)) must not exceed reconnect_max_ms (\(device.reconnectMaxMillis))")
        }
        var points: [ModbusPoint] = []
        try r.list("points") { p in points.append(try parseModbusPoint(&p, source: source)) }
        guard !points.isEmpty else {
            throw GatewayError(.invalidConfig, "\(where_).points is empty; list what to read, like '- {name: spindle_load, table: holding, address: 100, type: f32}'")
        }
        var names: Set<String> = []
        for point in points where !names.insert(point.name).inserted {
            throw GatewayError(.invalidConfig, "\(where_).points names '\(point.name)' twice; point names must be unique within a device")
        }
        device.points = points
        return device
    }

    private static func parseModbusPoint(_ p: inout SectionReader, source: String) throws -> ModbusPoint {
        let where_ = "\(source): \(p.section)"
        let name = try p.string("name", default: "", pattern: "^[A-Za-z0-9._:/@-]{1,64}$", hint: "use 1-64 letters, digits, '.', '_', ':', '/', '@' or '-'")
        guard !name.isEmpty else { throw GatewayError(.invalidConfig, "\(where_).name is missing; name the point, like 'name: spindle_load'") }
        let tableName = try p.string("table", default: "")
        guard let table = ModbusTable(rawValue: tableName) else {
            throw GatewayError(.invalidConfig, "\(where_).table '\(tableName)' is not a table; use coils, discrete, holding or input")
        }
        let addressText = try p.string("address", default: "")
        guard let address = ModbusAddress.parse(addressText) else {
            throw GatewayError(.invalidConfig, "\(where_).address '\(addressText)' is not an address; use 0-65535 in decimal or 0x hex (the protocol address, not the 40001-style number)")
        }
        let length = try p.int("length", default: 1, in: 1...125)
        let typeName = try p.string("type", default: table.isBits ? "bool" : "u16")
        guard let type = ModbusDataType(name: typeName, stringRegisters: length) else {
            throw GatewayError(.invalidConfig, "\(where_).type '\(typeName)' is not a type; use one of \(ModbusDataType.names)")
        }
        if table.isBits, type != .bool {
            throw GatewayError(.invalidConfig, "\(where_).type is \(typeName) but \(table.rawValue) hold single bits; use type: bool or a register table")
        }
        if p.has("length"), case .string = type {} else if p.has("length") {
            throw GatewayError(.invalidConfig, "\(where_).length applies to type: string only; remove it")
        }
        guard Int(address) + type.registerCount <= 65536 else {
            throw GatewayError(.invalidConfig, "\(where_) runs past address 65535; lower the address")
        }
        let byteOrder = try parseOrder(&p, "byte_order", where_)
        let wordOrder = try parseOrder(&p, "word_order", where_)
        let scale = try p.double("scale", default: 1, in: -1e12...1e12)
        guard scale != 0 else { throw GatewayError(.invalidConfig, "\(where_).scale is 0; use a non-zero factor (1 for none)") }
        let offset = try p.double("offset", default: 0, in: -1e12...1e12)
        let unit = try p.string("unit", default: "")
        let period = try p.int("period_ms", default: 1000, in: 5...86_400_000)
        let deadband = try p.double("deadband", default: -1, in: 0...1e12)
        let writable = try p.bool("writable", default: false)
        if writable, !table.isWritable {
            throw GatewayError(.invalidConfig, "\(where_).writable is true but \(table.rawValue) cannot be written; only coils and holding registers can")
        }
        return ModbusPoint(name: name, table: table, address: address, type: type, layout: ModbusLayout(byteOrder: byteOrder, wordOrder: wordOrder),
                           scale: scale, offset: offset, unit: unit, periodMillis: period, deadband: deadband < 0 ? nil : deadband, writable: writable)
    }

    private static func parseOrder(_ p: inout SectionReader, _ key: String, _ where_: String) throws -> ModbusByteOrder {
        let text = try p.string(key, default: "big")
        guard let order = ModbusByteOrder(rawValue: text) else {
            throw GatewayError(.invalidConfig, "\(where_).\(key) '\(text)' is not an order; use big or little")
        }
        return order
    }
}
