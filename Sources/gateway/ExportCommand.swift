import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a capture's frames as CSV: time, device, RSSI, then the amplitude of every subcarrier.",
        discussion: "Columns a0..aN-1 follow the frame's CSI vector in FFT order (index k is subcarrier k below N/2, k - N above; ESP32 layouts start with the 64-bin LLTF). Bins known to be invalid are left empty.")

    enum Format: String, ExpressibleByArgument { case csv }

    @Argument(help: "A capture file.")
    var file: String

    @Option(help: "Output format (csv).")
    var format: Format = .csv

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    @Flag(help: "Repair missing amplitudes (invalid bins that carry signal, saturated values, dropped subcarriers) with the diffusion engine, learnt from the whole capture; null bins stay empty.")
    var impute = false

    func run() throws {
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let opened = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("cannot write \(output); check the directory and permissions")
            }
            handle = opened
        } else {
            handle = FileHandle.standardOutput
        }
        do {
            let result = try AmplitudeExporter(path: file, impute: impute).export(to: handle)
            if output != nil {
                print("wrote \(result.frames) frames (\(result.malformed) malformed records skipped) to \(output ?? "")")
            } else if result.malformed > 0 {
                FileHandle.standardError.write(Data("\(result.malformed) malformed records skipped\n".utf8))
            }
        } catch let error as GatewayError {
            throw ValidationError(error.message)
        }
        if output != nil { try handle.close() }
    }
}
