import GatewayCore

/// One configured machine connection (a Modbus device, an SHDR adapter, a serial instrument).
///
/// `run` polls or listens until its task is cancelled. Peer failures (refused connections,
/// timeouts, exceptions, garbage) never end it: they are counted in ``health()``, logged once
/// per burst, and retried with backoff. Each driver owns its own task, so one dead peer never
/// delays another.
public protocol MachineDriver: Sendable {
    /// The configured device name (the `source` of its telemetry samples).
    var name: String { get }
    /// `modbus-tcp`, `modbus-rtu`, `shdr`, `serial`.
    var protocolName: String { get }
    func run(into sink: any TelemetrySink) async
    func health() -> MachineHealth
}
