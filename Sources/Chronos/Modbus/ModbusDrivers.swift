import Logging

/// The drivers for the configured Modbus devices: one `ModbusTCPDriver` per TCP device, one
/// `ModbusRTUPortDriver` per serial port carrying all the units configured on it (in config
/// order). The daemon runs each driver's `run(into:)` in its own task.
public enum ModbusDrivers {
    public static func make(_ devices: [ModbusDeviceSettings], logger: Logger = Logger(label: "chronos.modbus")) -> [any MachineDriver] {
        var drivers: [any MachineDriver] = []
        var lines: [ModbusSerialLine] = []
        var units: [String: [ModbusDeviceSettings]] = [:]
        for device in devices {
            switch device.transport {
            case .tcp:
                drivers.append(ModbusTCPDriver(settings: device, logger: logger))
            case .rtu(let line):
                if units[line.path] == nil { lines.append(line) }
                units[line.path, default: []].append(device)
            }
        }
        for line in lines {
            drivers.append(ModbusRTUPortDriver(line: line, devices: units[line.path] ?? [], logger: logger))
        }
        return drivers
    }
}
