import ArgumentParser

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create and inspect the Ed25519 keys that sign the gateway's log checkpoints.",
        discussion: """
            A note signer key signs checkpoints of a log (C2SP signed-note); its verifier key \
            (NAME+HASH+BASE64, safe to publish) lets anyone check them and the proofs built on \
            them with 'gateway verify'. 'keys generate' writes a new private key to a file only its \
            owner can read and prints the verifier key; 'keys show' prints the verifier key of a \
            private key file again.
            """,
        subcommands: [KeysGenerateCommand.self, KeysShowCommand.self]
    )
}
