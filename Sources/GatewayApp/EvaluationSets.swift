import Foundation
import GatewayCore
import Simulation

/// The labelled data `gateway eval` knows how to find or make.
public enum EvaluationSets {
    /// ESPectre's recordings: per chip, `baseline_<chip>_*.npz` (a quiet room) and
    /// `movement_<chip>_*.npz` (a person moving), anywhere under `directory`. Both are scored
    /// with the calibration learnt from that chip's baseline file, as ESPectre itself does.
    public static func espectre(directory: String) throws -> [DetectionEvaluator.Case] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw GatewayError(.io, "cannot read directory \(directory); point --espectre at ESPectre's data folder (baseline/ and movement/ inside)")
        }
        // "baseline" or "movement" -> chip -> file (the first by name when a chip has several).
        var files: [String: [String: String]] = [:]
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            let parts = name.split(separator: "_").map(String.init)
            guard name.hasSuffix(".npz"), parts.count >= 2, parts[0] == "baseline" || parts[0] == "movement" else { continue }
            let path = (directory as NSString).appendingPathComponent(relative)
            files[parts[0], default: [:]][parts[1]] = min(files[parts[0]]?[parts[1]] ?? path, path)
        }
        let baseline = files["baseline"] ?? [:]
        let movement = files["movement"] ?? [:]
        let chips = baseline.keys.filter { movement[$0] != nil }.sorted()
        guard !chips.isEmpty else {
            throw GatewayError(.malformedInput, "no baseline_<chip>_*.npz / movement_<chip>_*.npz pairs under \(directory)")
        }
        return chips.flatMap { chip -> [DetectionEvaluator.Case] in
            guard let empty = baseline[chip], let active = movement[chip] else { return [] }
            return [
                DetectionEvaluator.Case(name: "espectre \(chip) baseline", files: [empty], calibrateFrom: empty, truth: .empty),
                DetectionEvaluator.Case(name: "espectre \(chip) movement", files: [active], calibrateFrom: empty, truth: .active),
            ]
        }
    }

    /// A simulated run of `scenario`, calibrated on an empty run of the same room (same seed),
    /// with the simulator's ground truth. Captures are written into `directory`. `simulation`
    /// sets the radio and link of both runs (band, bandwidth, AGC steps, loss).
    public static func simulated(
        _ scenario: ScenarioName, seconds: Double, rate: Double, seed: UInt64, directory: String,
        simulation: SimulationOptions = SimulationOptions()
    ) throws -> DetectionEvaluator.Case {
        var options = SimulateRunner.Options(scenario: scenario)
        options.simulation = simulation
        options.seconds = seconds
        options.rate = rate
        options.seed = seed
        let run = (directory as NSString).appendingPathComponent("\(scenario.rawValue)-\(seed).sgw")
        _ = try SimulateRunner(options: options).write(to: run)
        var emptyOptions = options
        emptyOptions.scenario = .empty
        emptyOptions.seconds = min(seconds, 20)
        let empty = (directory as NSString).appendingPathComponent("calibration-\(seed).sgw")
        _ = try SimulateRunner(options: emptyOptions).write(to: empty)
        let labels = scenario.labels(seconds: seconds)
        return DetectionEvaluator.Case(
            name: "sim \(scenario.rawValue) seed \(seed)", files: [run], calibrateFrom: empty,
            truth: labels.isEmpty ? .empty : .intervals(labels))
    }
}
