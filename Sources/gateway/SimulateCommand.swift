import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore
import Simulation

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate ESP32-like CSI frames from a multipath channel model with a moving person, or GaN PA frames from an amplifier model.",
        discussion: "Deterministic for a seed. The pa-* scenarios simulate a GaN power amplifier (Rapp model with temperature-dependent gain, a load whose mismatch changes, supply sag, a person near the antenna; 60 s by default) and send GanPaFrame messages. --out writes a capture (plus FILE.labels.json with the ground truth) for 'gateway replay'; --udp streams in real time to a running gateway. The radio options change the frames, never the ground truth: the same seed gives the same room and the same person on every band and bandwidth.")

    @Option(help: "Scenario: \(Self.scenarioNames).")
    var scenario: String

    @Option(help: "Duration in seconds (default 30; 60 for the pa-* scenarios).")
    var seconds: Double?

    static var scenarioNames: String {
        (ScenarioName.allCases.map(\.rawValue) + PAScenario.allCases.map(\.rawValue)).joined(separator: ", ")
    }

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
        guard ScenarioName(rawValue: scenario) != nil || PAScenario(rawValue: scenario) != nil else {
            throw ValidationError("unknown scenario '\(scenario)'; choose one of \(Self.scenarioNames)")
        }
        if PAScenario(rawValue: scenario) != nil, devices != 1 {
            throw ValidationError("--devices applies to CSI scenarios only; a pa-* scenario simulates one amplifier")
        }
        guard (out == nil) != (udp == nil) else { throw ValidationError("give exactly one of --out FILE or --udp HOST:PORT") }
        guard (seconds ?? 1) > 0, (seconds ?? 1) <= 86_400 else { throw ValidationError("--seconds must be between 0 and 86400") }
        guard rate >= 1, rate <= 10_000 else { throw ValidationError("--rate must be between 1 and 10000 frames/s") }
        guard devices >= 1, devices <= 10_000 else { throw ValidationError("--devices must be between 1 and 10000") }
    }

    func run() async throws {
        if let pa = PAScenario(rawValue: scenario) { return try await runPA(pa) }
        guard let name = ScenarioName(rawValue: scenario) else { return }
        var options = SimulateRunner.Options(scenario: name)
        options.seconds = seconds ?? 30
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

    private func runPA(_ pa: PAScenario) async throws {
        var options = PASimulator.Options()
        options.seconds = seconds ?? 60
        options.rate = rate
        options.seed = seed
        let runner = PASimulateRunner(scenario: pa, options: options)
        if let out {
            let frames = try runner.write(to: out)
            print("wrote \(frames) GaN PA frames to \(out) (ground truth in \(out).labels.json)")
        } else if let udp {
            let sent = try await runner.stream(to: udp)
            print("sent \(sent) GaN PA frames to \(udp)")
        }
    }
}
