import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore
import Store

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Inspect the signed Merkle log in a gateway database.",
        subcommands: [LogCheckpointCommand.self])
}

struct LogCheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print the latest signed checkpoint (a C2SP signed note).",
        discussion: """
            The note's body is the origin (the key's name), the tree size and the base64 root hash; \
            the signature line is by the gateway's key. With --sign --key FILE, first signs a new \
            checkpoint over every entry not yet covered.
            """)

    @Option(help: "Gateway database file.")
    var db: String

    @Flag(help: "Sign a checkpoint over all entries first (needs --key).")
    var sign = false

    @Option(help: "Private note key to sign with (from 'gateway keys generate').")
    var key: String?

    func validate() throws {
        try ExistingDatabase.require(db)
        if sign, key == nil { throw ValidationError("--sign needs --key FILE, the gateway's private note key") }
    }

    func run() throws {
        do {
            let store = try GatewayStore(path: db)
            defer { try? store.close() }
            if sign, let key {
                let loaded = try SigningKeyFile.load(path: key)
                if let warning = loaded.warning { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                if try store.signCheckpoint(with: loaded.key) == nil {
                    FileHandle.standardError.write(Data("nothing new to sign: the latest checkpoint covers all \(try store.logSize()) entries\n".utf8))
                }
            }
            guard let checkpoint = try store.latestCheckpoint() else {
                throw ValidationError("\(db) holds \(try store.logSize()) log entries but no signed checkpoint; set ledger.key_file for the daemon, pass --key to 'gateway replay', or sign one now with 'gateway log checkpoint --db \(db) --sign --key FILE'")
            }
            print(checkpoint.signedNote, terminator: checkpoint.signedNote.hasSuffix("\n") ? "" : "\n")
        } catch let error as GatewayError {
            throw ValidationError(error.message)
        }
    }
}
