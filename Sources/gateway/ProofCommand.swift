import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore
import Store

struct ProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "Print a tlog-proof@v1 for one log entry.",
        discussion: """
            The proof holds the entry's bytes (a LogEntry protobuf), its index, the inclusion proof \
            and the latest signed checkpoint: anyone with the gateway's verifier key can check it \
            offline ('gateway verify PROOF --key VERIFIER_KEY').
            """)

    @Option(help: "Gateway database file.")
    var db: String

    @Option(help: "Log index of the entry (0 is the first).")
    var index: UInt64

    @Option(help: "Write the proof to this file instead of standard output.")
    var out: String?

    func validate() throws {
        try ExistingDatabase.require(db)
    }

    func run() throws {
        do {
            let store = try GatewayStore(path: db)
            defer { try? store.close() }
            let text = try store.proof(index: index).formatted
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
            } else {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        } catch let error as GatewayError {
            throw ValidationError(error.message)
        }
    }
}
