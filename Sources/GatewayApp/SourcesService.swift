import Ingest
import Logging
import ServiceLifecycle

/// Runs every configured source; when all have stopped (graceful shutdown) it finishes the
/// ingest queue so the pipeline can drain and stop.
struct SourcesService: Service {
    let sources: [any Service]
    let queue: IngestQueue
    let logger: Logger

    func run() async throws {
        defer { queue.finish() }
        try await withThrowingDiscardingTaskGroup { group in
            for source in sources {
                group.addTask { try await source.run() }
            }
        }
    }
}
