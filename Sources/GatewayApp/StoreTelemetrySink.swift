import Chronos
import GatewayCore
import Store
import Synchronization

/// Hands machine readings to the store writer, which stores them and appends them to the
/// signed log in the same transaction. The writer applies back-pressure by suspending
/// `deliver` when the database falls behind, so a driver slows down instead of losing readings.
final class StoreTelemetrySink: TelemetrySink {
    private let writer: StoreWriter
    private let counts = Mutex<(delivered: UInt64, refused: UInt64)>((0, 0))

    init(writer: StoreWriter) {
        self.writer = writer
    }

    func deliver(_ samples: [TelemetrySample]) async {
        if samples.isEmpty { return }
        do {
            try await writer.submit(StoreBatch(telemetry: samples))
            counts.withLock { $0.delivered += UInt64(samples.count) }
        } catch {
            // Only cancellation (shutdown) refuses a submission; the driver is stopping anyway.
            counts.withLock { $0.refused += UInt64(samples.count) }
        }
    }

    /// Samples accepted by the writer, and samples refused because the daemon was stopping.
    var totals: (delivered: UInt64, refused: UInt64) { counts.withLock { $0 } }
}
