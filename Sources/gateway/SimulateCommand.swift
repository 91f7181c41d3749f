import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore
import Simulation

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate ESP32-like CSI frames from a multipath channel model with a moving person.",
        discussion: "Deterministic for a seed. --out writes a capture (plus FILE.labels.json with the ground truth) for 'gateway replay'; --udp streams in real time to a running gateway. The radio options change the frames, never the ground truth: the same seed gives the same room and the same person on every band and bandwidth.")

    @Option(help: "Scenario: \(ScenarioName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario: String

    @Option(help: "Duration in seconds.")
    var seconds: Double = 30

    @Option(help: "Frames per second per device.")
    var rate: Double = 100

    @Option(help: "Number of simulated nodes.")
    var devices: Int = 1

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Write a capture file.")
    var out: String?

    @Option(help: "Stream to a gateway at HOST:PORT over UDP, in real time.")
    var udp: String?

    @OptionGroup(title: "Radio and link")
    var radio: SimulationFlags

    func validate() throws {
        guard ScenarioName(rawValue: scenario) != nil else {
            throw ValidationError("unknown scenario '\(scenario)'; choose one of \(ScenarioName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (out == nil) != (udp == nil) else { throw ValidationError("give exactly one of --out FILE or --udp HOST:PORT") }
        guard seconds > 0, seconds <= 86_400 else { throw ValidationError("--seconds must be between 0 and 86400") }
        guard rate >= 1, rate <= 10_000 else { throw ValidationError("--rate must be between 1 and 10000 frames/s") }
        guard devices >= 1, devices <= 10_000 else { throw ValidationError("--devices must be between 1 and 10000") }
    }

    func run() async throws {
        guard let name = ScenarioName(rawValue: scenario) else { return }
        var options = SimulateRunner.Options(scenario: name)
        options.seconds = seconds
        options.rate = rate
        options.devices = devices
        options.seed = seed
        options.simulation = try radio.simulationOptions()
        let runner = SimulateRunner(options: options)
        do {
            if let out {
                let frames = try runner.write(to: out)
                print("wrote \(frames) frames to \(out) (ground truth in \(out).labels.json)")
            } else if let udp {
                let sent = try await runner.stream(to: udp)
                print("sent \(sent) frames to \(udp)")
            }
        } catch let error as GatewayError {
            throw ValidationError(error.message)
        }
    }
}
