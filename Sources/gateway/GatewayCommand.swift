import ArgumentParser

@main
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Sensing gateway: WiFi CSI ingest, presence and motion detection, durable storage.",
        version: GatewayVersion.string,
        // One per line, grouped by what they serve: running, sensing data, machines, the signed log.
        subcommands: [
            RunCommand.self, ReplayCommand.self, SimulateCommand.self, VersionCommand.self,
            CalibrateCommand.self, EventsCommand.self, InspectCommand.self, ExportCommand.self, EvalCommand.self,
            TelemetryCommand.self,
            ModbusCommand.self, ShdrCommand.self,
            KeysCommand.self, LogCommand.self, ProofCommand.self, VerifyCommand.self,
            TokenCommand.self,
        ]
    )
}
