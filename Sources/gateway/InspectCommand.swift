import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe capture files: format, frames, malformed records, devices, bandwidth, subcarriers, duration, rate.",
        discussion: "Formats are recognised by content: gateway captures, pcap/pcapng (Nexmon CSI or envelopes), ESP32-CSI-Tool and esp-csi CSV logs, ESPectre npz.")

    @Argument(help: "Capture files.")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                print(try CaptureInspection(path: file).report)
            } catch let error as GatewayError {
                print("\(file)\n  error       \(error.message)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
