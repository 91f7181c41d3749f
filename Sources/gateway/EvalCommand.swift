import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore
import Logging
import Simulation

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the presence, motion and fall detectors on labelled data.",
        discussion: """
            Prints per case: scored windows, windows the truth marks active, recall, windows \
            falsely alarmed (and their share of the empty windows), alarms per hour of empty time, \
            and the latency of the first detection. Sources: ESPectre's baseline/movement \
            recordings (--espectre DIR; each chip calibrated on its baseline file), the annotated \
            Wisensing recording (--wisensing DIR; calibrated on half of its 'noise' windows, scored \
            on its 'person' windows and the other half) and simulated scenarios (--scenario NAME, \
            calibrated on an empty run of the same room). Falls are scored per labelled fall.
            """)

    @Option(help: "ESPectre data folder (baseline_<chip>_*.npz and movement_<chip>_*.npz inside).")
    var espectre: String?

    @Option(help: "Wisensing-esp32 folder (person_*.csv and slicing_source_demo_annotations.txt inside).")
    var wisensing: String?

    @Option(help: "Simulated scenario to score (repeatable): \(ScenarioName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario: [String] = []

    @Option(help: "Seconds per simulated run.")
    var seconds: Double = 60

    @Option(help: "Frames per second of simulated runs.")
    var rate: Double = 100

    @Option(help: "Simulated rooms per scenario.")
    var seeds: Int = 3

    @Option(name: .customLong("first-seed"), help: "Seed of the first simulated room (rooms use seeds first-seed, first-seed + 1, ...).")
    var firstSeed: Int = 1

    @OptionGroup(title: "Radio and link of simulated runs")
    var radio: SimulationFlags

    @Option(help: "Gateway config file whose 'detector' section sets the detector settings (GATEWAY_DETECTOR_* environment variables apply too); default: the built-in settings.")
    var config: String?

    enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off }

    @Option(help: "Diffusion-engine imputation of missing amplitudes before the detectors (on/off); default: the config's diffusion.impute, or off.")
    var impute: Switch?

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        if espectre == nil && wisensing == nil && scenario.isEmpty {
            throw ValidationError("name labelled data: --espectre DIR, --wisensing DIR and/or --scenario NAME")
        }
        if !(seconds >= 5 && seconds <= 3600) { throw ValidationError("--seconds takes 5 to 3600, got \(seconds)") }
        if !(rate >= 5 && rate <= 2000) { throw ValidationError("--rate takes 5 to 2000 frames/s, got \(rate)") }
        if !(1...1000).contains(seeds) { throw ValidationError("--seeds takes 1 to 1000, got \(seeds)") }
        if !(1...1_000_000).contains(firstSeed) { throw ValidationError("--first-seed takes 1 to 1000000, got \(firstSeed)") }
    }

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let logger = Logger(label: "eval")
        var cases: [DetectionEvaluator.Case] = []
        let simulation = try radio.simulationOptions()
        do {
            var evaluator = DetectionEvaluator(logger: logger)
            if let config { evaluator.settings = try ConfigLoader.load(path: config).detector }
            if let impute { evaluator.settings.diffusion.impute = impute == .on }
            if let espectre { cases += try EvaluationSets.espectre(directory: espectre) }
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-eval-\(getpid())").path
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            if let wisensing { cases += try EvaluationSets.wisensing(directory: wisensing, scratch: scratch) }
            for name in scenario {
                let parsed = try ScenarioName.parse(name)
                for seed in firstSeed..<(firstSeed + seeds) {
                    cases.append(try EvaluationSets.simulated(
                        parsed, seconds: seconds, rate: rate, seed: UInt64(seed), directory: scratch, simulation: simulation))
                }
            }
            let results = try cases.map { try evaluator.evaluate($0) }
            print(json ? try EvaluationFormatting.json(results) : EvaluationFormatting.text(results))
        } catch let error as GatewayError {
            throw ValidationError(error.message)
        }
    }
}
