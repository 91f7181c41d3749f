import ArgumentParser

@main
struct CloudSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud-sync",
        abstract: "Cloud sync service: accepts gateways' signed log batches, verifies them and stores a mirror of each log.",
        discussion: """
            Gateways POST SyncBatch protobufs to /v1/gateways/{origin}/batches. A batch is stored only if its \
            checkpoint is signed by the gateway's enrolled key, extends the checkpoint accepted before \
            (RFC 9162 consistency proof) and its entries hash to the checkpoint's root.
            """,
        subcommands: [ServeCommand.self]
    )
}
