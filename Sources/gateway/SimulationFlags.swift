import ArgumentParser
import GatewayCore
import Simulation

/// The radio and link options of simulated runs, shared by `simulate` and `eval`.
struct SimulationFlags: ParsableArguments {
    @Option(help: "Band in GHz: 2.4 (channel 6) or 5 (channel 36).")
    var band: String = "2.4"

    @Option(help: ArgumentHelp(
        "Bandwidth in MHz: 20, 40 or 80.",
        discussion: "20: ESP32 LLTF frames (64 subcarriers). 40: ESP32 HT40 frames (LLTF + HT-LTF, 192 subcarriers, secondary channel above). 80: Nexmon-style VHT80 frames (256 complex values), 5 GHz only."))
    var bandwidth: Int = 20

    @Option(name: .customLong("agc-steps"), help: ArgumentHelp(
        "Receiver gain steps per minute (±3 or ±6 dB at random times, as an ESP32 with its AGC unlocked makes); 0: gain locked.",
        valueName: "rate"))
    var agcSteps: Double = 0

    @Option(help: ArgumentHelp(
        "Fraction of frames lost, in bursts of 3 frames on average (e.g. 0.05); sequence numbers skip the lost frames.",
        valueName: "fraction"))
    var loss: Double = 0

    @Option(help: ArgumentHelp("Timing jitter, as a fraction of the frame period (0 to 0.45).", valueName: "fraction"))
    var jitter: Double = 0.05

    func validate() throws {
        guard jitter >= 0, jitter <= 0.45 else { throw ValidationError("--jitter takes 0 to 0.45 of the frame period, got \(jitter)") }
        _ = try simulationOptions()
    }

    /// The options the flags describe; errors name the flag and the fix.
    func simulationOptions() throws -> SimulationOptions {
        guard let width = Bandwidth(rawValue: bandwidth), width != .mhz160 else {
            throw ValidationError("--bandwidth takes 20, 40 or 80 (MHz), got \(bandwidth)")
        }
        guard loss >= 0, loss < 0.95 else { throw ValidationError("--loss takes a fraction from 0 up to 0.95 (e.g. 0.05 for 5 %), got \(loss)") }
        guard agcSteps >= 0, agcSteps <= 600 else { throw ValidationError("--agc-steps takes 0 (gain locked) to 600 steps per minute, got \(agcSteps)") }
        do {
            let options = SimulationOptions(
                timingJitter: jitter, band: try RadioBand.parse(band), bandwidth: width,
                agcStepsPerMinute: agcSteps, lossFraction: loss)
            _ = try options.frameFormat()
            return options
        } catch {
            throw ValidationError("--band \(band) --bandwidth \(bandwidth): \(error.message)")
        }
    }
}
