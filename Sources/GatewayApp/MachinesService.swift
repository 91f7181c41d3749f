import Chronos
import Logging
import Metrics
import ServiceLifecycle

/// Runs every configured machine driver (Modbus, SHDR, serial instruments), each in its own
/// task so that one dead peer never delays another, and publishes their health as metrics
/// once a second:
///
/// - `machine_up{machine,protocol}` 1 while connected,
/// - `machine_reads_total{machine,protocol}` successful reads (or received lines),
/// - `machine_errors_total{machine,protocol,reason}` failures by reason,
/// - `machine_latency_seconds{machine,protocol}` the mean round trip.
///
/// Graceful shutdown cancels the drivers; what they delivered is already with the store writer,
/// which stops after this service and commits it.
struct MachinesService: Service {
    let drivers: [any MachineDriver]
    let sink: any TelemetrySink
    let logger: Logger

    func run() async throws {
        if drivers.isEmpty { return }
        let names = drivers.map { "\($0.name) (\($0.protocolName))" }.joined(separator: ", ")
        logger.info("polling \(drivers.count) machine(s): \(names)")
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for driver in drivers {
                    group.addTask { await driver.run(into: sink) }
                }
                group.addTask { await publishHealth() }
            }
        }
        publishOnce()
    }

    private func publishHealth() async {
        while !Task.isCancelled {
            publishOnce()
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func publishOnce() {
        for driver in drivers {
            let health = driver.health()
            let labels = [("machine", health.name), ("protocol", health.protocolName)]
            Gauge(label: "machine_up", dimensions: labels).record(health.connected ? 1 : 0)
            Gauge(label: "machine_reads_total", dimensions: labels).record(Double(health.successes))
            if let latency = health.meanLatencySeconds {
                Gauge(label: "machine_latency_seconds", dimensions: labels).record(latency)
            }
            for (reason, count) in health.errors {
                Gauge(label: "machine_errors_total", dimensions: labels + [("reason", reason)]).record(Double(count))
            }
        }
    }
}
