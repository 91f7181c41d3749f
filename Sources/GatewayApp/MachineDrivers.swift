import Chronos
import Logging

extension GatewayConfig {
    /// One driver per configured machine connection, in config order (Modbus TCP devices and RTU
    /// ports, SHDR adapters, serial instruments). Building a driver checks what can be checked before start-up; a serial path
    /// that does not exist yet is reported by the driver as it retries, so a USB adapter plugged
    /// in later still works.
    func machineDrivers(logger: Logger) throws -> [any MachineDriver] {
        var drivers: [any MachineDriver] = ModbusDrivers.make(modbus, logger: logger)
        for adapter in shdr {
            drivers.append(try ShdrAdapterDriver(settings: adapter, logger: logger))
        }
        for instrument in instruments {
            drivers.append(try SerialInstrumentDriver(settings: instrument, logger: logger))
        }
        return drivers
    }
}
