import GRDB
import GatewayCore

extension GatewayStore {
    /// Records that `destination` holds the first `size` entries (pull sync). Acknowledgements
    /// only move forward: an older or repeated one leaves the stored size as it is, so a retried
    /// request is harmless. Returns the stored size.
    ///
    /// Throws when `size` is beyond the latest signed checkpoint: a destination can only hold
    /// what it was served, and batches end at checkpoints.
    @discardableResult
    public func acknowledgeSync(destination: String, size: UInt64, now: Int64 = unixMicrosNow()) throws -> UInt64 {
        try ensureOpen("cannot write to")
        do {
            return try pool.write { db in
                let covered = try LogWriter.latestCheckpointSize(db) ?? 0
                guard size <= covered else {
                    throw GatewayError(.malformedInput, "acknowledgement of \(size) entries is beyond the latest signed checkpoint (\(covered) entries); acknowledge the size of a batch you were served")
                }
                try db.execute(sql: """
                    INSERT INTO sync_acks (destination, size, acked_us) VALUES (?, ?, ?)
                    ON CONFLICT(destination) DO UPDATE SET
                        size = max(size, excluded.size),
                        acked_us = CASE WHEN excluded.size > size THEN excluded.acked_us ELSE acked_us END
                    """, arguments: [destination, Int64(size), now])
                return UInt64(try Int64.fetchOne(db, sql: "SELECT size FROM sync_acks WHERE destination = ?",
                                                 arguments: [destination]) ?? 0)
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw StoreFailure.wrap(error, "cannot write to", path: path)
        }
    }

    /// What `destination` acknowledged, and when (Unix microseconds); nil before its first ack.
    public func syncAcknowledgement(destination: String) throws -> (size: UInt64, at: Int64)? {
        try read("cannot read sync acknowledgements from") { db in
            try Row.fetchOne(db, sql: "SELECT size, acked_us FROM sync_acks WHERE destination = ?", arguments: [destination])
                .map { (UInt64($0[0] as Int64), $0[1] as Int64) }
        }
    }
}
