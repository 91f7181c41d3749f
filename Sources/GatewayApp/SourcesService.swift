import Ingest
import Logging
import ServiceLifecycle

/// Runs every configured source; when all have stopped (graceful shutdown) it finishes the
/// ingest queue so the pipeline can drain and stop. With no CSI source (a gateway that only
/// polls machines) it waits for the shutdown instead: a service that returns early would stop
/// the whole daemon.
struct SourcesService: Service {
    let sources: [any Service]
    let queue: IngestQueue
    let logger: Logger

    func run() async throws {
        defer { queue.finish() }
        if sources.isEmpty {
            logger.info("no CSI source is enabled (udp, mqtt, nexmon, pcap, serial); running for machines only")
            try? await gracefulShutdown()
            return
        }
        try await withThrowingDiscardingTaskGroup { group in
            for source in sources {
                group.addTask { try await source.run() }
            }
        }
    }
}
