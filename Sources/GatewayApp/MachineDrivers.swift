import Chronos
import Logging

extension GatewayConfig {
    /// One driver per configured machine connection, in config order. Building a driver checks
    /// what can be checked before start-up (a serial path that does not exist is reported by
    /// the driver as it retries, so a USB adapter plugged in later still works).
    func machineDrivers(logger: Logger) throws -> [any MachineDriver] {
        let drivers: [any MachineDriver] = []
        return drivers
    }
}
