import ArgumentParser
import Foundation
import Ledger

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a tlog-proof offline: the checkpoint's signature, its origin and the entry's inclusion.",
        discussion: """
            PROOF is a file in the c2sp.org/tlog-proof@v1 layout: the entry, its index, the \
            inclusion proof hashes, then the signed checkpoint. The proof holds when the checkpoint \
            is signed by --key, is for log --origin (default: the key's name) and the entry hashes \
            to leaf INDEX of the tree the checkpoint commits to. Nothing is fetched from the \
            network. Prints 'OK: entry ...' on success; otherwise the reason (malformed proof, \
            unknown key, bad signature, wrong origin, index beyond tree size, entry not included) \
            on standard error. Exit codes: 0 verified, 1 the proof does not verify, 64 bad \
            arguments (unreadable PROOF, malformed --key).
            """)

    @Argument(help: "tlog-proof file.")
    var proof: String

    @Option(help: "Verifier key of the log (NAME+HASH+BASE64, as 'gateway keys generate' prints it), or a file holding it.")
    var key: String

    @Option(help: "Log the checkpoint must be for (default: the verifier key's name).")
    var origin: String?

    func validate() throws {
        if let origin, origin.isEmpty || origin.contains("\n") {
            throw ValidationError("--origin must be one non-empty line, the log's name as in its checkpoints")
        }
    }

    func run() throws {
        let verifier = try verifierKey()
        let data = try KeyFiles.read(
            proof, what: "tlog-proof", fix: "pass the proof file (it starts with the line '\(TlogProof.header)')",
            limit: 1 << 20)
        guard let text = String(data: data, encoding: .utf8) else {
            throw failure("malformed proof", "the file is not UTF-8 text")
        }
        let expectedOrigin = origin ?? verifier.name
        do {
            let verified = try TlogProof.verify(text, verifierKeys: [verifier], origin: expectedOrigin)
            print("OK: entry \(verified.index) of \(verified.checkpoint.origin) (tree size \(verified.checkpoint.size), root \(verified.checkpoint.rootHash.base64)) is in the log signed by \(KeyFiles.label(verifier))")
        } catch let error as LedgerError {
            throw failure(Self.reason(error.code), error.message)
        }
    }

    /// The failure in a few words, for the start of the error line.
    static func reason(_ code: LedgerError.Code) -> String {
        switch code {
        case .malformedProof, .malformedNote, .malformedCheckpoint, .invalidHashLength: "malformed proof"
        case .noVerifiedSignature: "unknown key (the checkpoint is not signed by --key)"
        case .invalidSignature: "bad signature"
        case .originMismatch: "wrong origin"
        case .indexOutOfRange: "index beyond tree size"
        case .rootMismatch, .proofSizeMismatch: "entry not included"
        default: "verification failed"
        }
    }

    /// Says on standard error why PROOF does not verify; the returned error exits with status 1.
    private func failure(_ reason: String, _ detail: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(proof) does not verify: \(reason): \(detail)\n".utf8))
        return ExitCode.failure
    }

    /// --key as key text, or the key in the file it names.
    private func verifierKey() throws -> NoteVerifierKey {
        var isDirectory: ObjCBool = false
        let isFile = FileManager.default.fileExists(atPath: key, isDirectory: &isDirectory) && !isDirectory.boolValue
        let fix = "pass the verifier key NAME+HASH+BASE64 ('gateway keys show --key PRIVATE_KEY_FILE' prints it) or a file holding it"
        let text = isFile ? try KeyFiles.readKeyText(key, what: "verifier key file", fix: fix) : key
        let source = isFile ? "--key file \(key)" : "--key"
        if text.hasPrefix("PRIVATE+") {  // checked first: the parse error would quote the text
            throw ValidationError(
                "\(source) holds a private key; keep it secret and pass its verifier key instead ('gateway keys show --key \(isFile ? key : "FILE")' prints it)")
        }
        do {
            return try NoteVerifierKey(parsing: text)
        } catch let error as LedgerError {
            if isFile {
                throw ValidationError("\(source) does not hold a verifier key: \(error.message); \(fix)")
            }
            throw ValidationError("--key is neither a file nor a verifier key: \(error.message); \(fix)")
        }
    }
}
