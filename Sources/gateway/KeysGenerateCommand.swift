import ArgumentParser
import Foundation
import Ledger

struct KeysGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a note signer key: the private key to a file, the verifier key to standard output.",
        discussion: """
            Writes PRIVATE+KEY+NAME+HASH+BASE64 and a newline to --out, created with mode 0600 \
            (never readable by others, not even while being written), and prints the verifier key \
            NAME+HASH+BASE64 to hand to whoever checks proofs ('gateway verify --key'). NAME is the \
            log's origin, e.g. sensing.example.com/gateway-01: non-empty, no whitespace, no '+'. \
            An existing --out file is kept unless --force is given. Exit codes: 0 written, 64 bad \
            arguments or a file that cannot be written.
            """)

    @Option(help: "Key name: the origin of the log it signs (no whitespace, no '+').")
    var name: String

    @Option(help: "File to write the private key to (mode 0600).")
    var out: String

    @Flag(help: "Replace --out if it exists (the key it holds is lost).")
    var force = false

    func validate() throws {
        if let problem = KeyFiles.nameProblem(name) {
            throw ValidationError("--name '\(name)' \(problem); a key name must be non-empty with no whitespace and no '+', e.g. sensing.example.com/gateway-01")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("--out \(out) is a folder; name the key file, e.g. --out \((out as NSString).appendingPathComponent("log.key"))")
        }
        if !force, FileManager.default.fileExists(atPath: out) || (try? FileManager.default.destinationOfSymbolicLink(atPath: out)) != nil {
            throw ValidationError("\(out) already exists; pass --force to replace it (the key it holds is then lost)")
        }
    }

    func run() throws {
        let key: NoteSignerKey
        do {
            key = try NoteSignerKey.generate(name: name)
        } catch let error as LedgerError {
            throw ValidationError("cannot make a key named '\(name)': \(error.message)")
        }
        try KeyFiles.writePrivate(key.text + "\n", to: out, replace: force)
        print(key.verifierKey.text)
        FileHandle.standardError.write(Data(
            "private key written to \(out) (mode 0600); keep it secret: whoever has it can sign checkpoints of \(name)\n".utf8))
    }
}
