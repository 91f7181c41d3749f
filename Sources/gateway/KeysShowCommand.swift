import ArgumentParser
import Foundation
import Ledger

struct KeysShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the verifier key of a private note signer key file.",
        discussion: """
            Reads the PRIVATE+KEY+... line 'gateway keys generate' wrote and prints its verifier \
            key NAME+HASH+BASE64 (safe to publish). Warns on standard error when the file is \
            readable by its group or others. The private key is never printed, not even in part \
            in an error. Exit codes: 0 printed, 64 missing or malformed key file.
            """)

    @Option(help: "Private key file (from 'gateway keys generate --out').")
    var key: String

    func run() throws {
        let fix = "pass the file 'gateway keys generate --name NAME --out FILE' wrote"
        let text = try KeyFiles.readKeyText(key, what: "private key file", fix: fix)
        // Warn before parsing: a damaged private key is still (mostly) a secret.
        if text.hasPrefix("PRIVATE+"), let mode = KeyFiles.permissions(of: key), mode & 0o077 != 0 {
            let octal = String(mode & 0o777, radix: 8)
            FileHandle.standardError.write(Data(
                "warning: \(key) holds a private key but others can read it (mode \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal)); run: chmod 600 \(key)\n".utf8))
        }
        let signer: NoteSignerKey
        do {
            signer = try NoteSignerKey(parsing: text)
        } catch let error as LedgerError {
            if !text.hasPrefix("PRIVATE+KEY+"), let verifier = try? NoteVerifierKey(parsing: text) {
                throw ValidationError(
                    "\(key) holds the verifier key \(KeyFiles.label(verifier)), not a private key; that line already is what 'keys show' prints")
            }
            // A well-formed key whose hash does not match names only its name and hashes; other
            // messages may quote pieces of a garbled secret.
            let detail = error.code == .keyHashMismatch ? error.message : KeyFiles.redactedQuotes(error.message)
            throw ValidationError(
                "\(key) does not hold a valid private key (\(detail)); it must be one line PRIVATE+KEY+NAME+HASH+BASE64 as 'gateway keys generate' writes it")
        }
        print(signer.verifierKey.text)
    }
}
