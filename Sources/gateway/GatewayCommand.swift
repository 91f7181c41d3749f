import ArgumentParser

@main
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Sensing gateway: WiFi CSI ingest, presence and motion detection, durable storage.",
        version: GatewayVersion.string,
        subcommands: [RunCommand.self, ReplayCommand.self, CalibrateCommand.self, SimulateCommand.self, EventsCommand.self, InspectCommand.self, ExportCommand.self, EvalCommand.self, KeysCommand.self, LogCommand.self, ProofCommand.self, VerifyCommand.self, ModbusCommand.self, VersionCommand.self]
    )
}
