import GRDB
import GatewayCore

extension GatewayStore {
    /// Commits the whole batch in one transaction. Blocks the calling thread while it waits for
    /// the writer connection: prefer the async variant from async code.
    @discardableResult
    public func write(_ batch: StoreBatch) throws -> WriteResult {
        try writeBlocking(batch)
    }

    /// The synchronous write under a name async code can call (plain `write` resolves to the
    /// async overload there).
    func writeBlocking(_ batch: StoreBatch) throws -> WriteResult {
        if batch.isEmpty { return WriteResult() }
        try ensureOpen("cannot write to")
        let options = options
        do {
            return try pool.write { db in try BatchWriter.write(batch, options: options, db: db) }
        } catch {
            throw StoreFailure.wrap(error, "cannot write to", path: path)
        }
    }

    /// Commits the whole batch in one transaction through GRDB's async write, which waits for
    /// the writer without blocking a thread of the cooperative pool.
    ///
    /// Throws `CancellationError` (nothing written) when the task is cancelled before the commit.
    @discardableResult
    public func write(_ batch: StoreBatch) async throws -> WriteResult {
        if batch.isEmpty { return WriteResult() }
        try ensureOpen("cannot write to")
        let options = options
        do {
            return try await pool.write { db in try BatchWriter.write(batch, options: options, db: db) }
        } catch let error as CancellationError {
            throw error
        } catch {
            throw StoreFailure.wrap(error, "cannot write to", path: path)
        }
    }
}
