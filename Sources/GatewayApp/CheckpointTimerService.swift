import Logging
import Ledger
import ServiceLifecycle
import Store

/// Signs a checkpoint every `ledger.checkpoint_every_seconds` when entries are uncovered, so the
/// time policy holds even when no new rows arrive to trigger it at commit (the count policy and
/// busy periods are handled by the store's writes).
struct CheckpointTimerService: Service {
    let store: GatewayStore
    let signer: NoteSignerKey
    let seconds: Double
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .milliseconds(Int64(max(0.05, seconds) * 1000)))
                } catch {
                    return
                }
                do {
                    if let size = try store.signCheckpoint(with: signer) { logger.debug("signed checkpoint over \(size) entries") }
                } catch {
                    logger.warning("cannot sign a checkpoint: \(error)")
                }
            }
        }
    }
}
