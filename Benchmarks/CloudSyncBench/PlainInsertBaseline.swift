import Foundation
import GRDB

/// The floor for storing a batch: the same entries inserted into an `entries`-shaped table with a
/// cached statement, one transaction per batch, same pragmas, no decoding, hashing or checks.
enum PlainInsertBaseline {
    static func run(_ corpus: SyncCorpus, directory: URL) throws -> Double {
        let path = directory.appendingPathComponent("baseline-\(UUID().uuidString).sqlite").path
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        let pool = try DatabasePool(path: path, configuration: config)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE entries (origin TEXT NOT NULL, idx INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (origin, idx)) WITHOUT ROWID")
        }
        let start = ContinuousClock.now
        var index: Int64 = 0
        for entries in corpus.batches {
            try pool.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO entries (origin, idx, bytes) VALUES (?, ?, ?)")
                for bytes in entries {
                    try insert.execute(arguments: [corpus.origin, index, bytes])
                    index += 1
                }
            }
        }
        let seconds = (ContinuousClock.now - start).seconds
        try pool.close()
        return Double(index) / seconds
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
