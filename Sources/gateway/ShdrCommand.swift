import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore

struct ShdrCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shdr", abstract: "MTConnect SHDR adapters (machine tools).",
        subcommands: [ShdrTailCommand.self])
}

struct ShdrTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Connect to an SHDR adapter and print its parsed stream live.",
        discussion: """
            One line per data item: time (a trailing * marks the receive time, when the adapter sent none), key, kind, value. \
            Lines starting with # are commands (* key: value), heartbeat replies (* PONG) and malformed lines. \
            Keys print as 'value' unless --item gives their kind: conditions, messages and time series take more fields.
            """)

    @Argument(help: "The adapter: HOST or HOST:PORT (port 7878 when left out).")
    var address: String

    @Option(help: "Stop after this many data items.")
    var count: Int?

    @Option(help: "Give up after this many seconds (connecting included); without it, tail until the adapter goes away or Ctrl-C.")
    var timeout: Double?

    @Option(name: .customLong("item"), help: "KEY=KIND for keys that are not plain samples/events (kind: condition, message, time_series, sample, event). Repeatable.")
    var items: [String] = []

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count \(count) must be at least 1") }
        if let timeout, !(timeout > 0 && timeout <= 86_400) { throw ValidationError("--timeout \(timeout) must be between 0 and 86400 seconds") }
        do {
            _ = try ShdrTail.address(address)
            _ = try ShdrTail.kinds(items)
        } catch let error as GatewayError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let (host, port) = try ShdrTail.address(address)
        let tail = try ShdrTail(host: host, port: port, count: count, timeoutSeconds: timeout, items: items)
        let outcome: ShdrTail.Outcome
        do {
            outcome = try await tail.run { line in
                // Unbuffered: a tail shows each line as it arrives, also into a pipe.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch let error as GatewayError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        switch outcome {
        case .complete:
            return
        case .ended(let items, let reason):
            FileHandle.standardError.write(Data("# \(reason) after \(items) item(s)\n".utf8))
            if let count, items < count { throw ExitCode(1) }
        case .timedOut(let items):
            if let count {
                FileHandle.standardError.write(Data("error: only \(items) of \(count) item(s) arrived within \(timeout ?? 0) s\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
