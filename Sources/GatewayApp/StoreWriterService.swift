import ServiceLifecycle
import Store

/// Runs the store writer's commit loop as a service; graceful shutdown flushes what is pending.
struct StoreWriterService: Service {
    let writer: StoreWriter

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await writer.run()
        }
        try await writer.flush()
    }
}
