import Foundation
import GRDB

/// The baseline: decode nothing, analyse nothing, just insert one row per frame (device,
/// sequence, time, the 128 CSI bytes) into SQLite in WAL mode, 4096 rows per transaction,
/// with one prepared statement. What any "store everything" gateway pays at the least.
enum PlainInsertBaseline {
    struct Result { var framesPerSecond: Double }

    static func run(_ corpus: Corpus) throws -> Result {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-baseline-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let pool = try DatabasePool(path: path)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE frames (device TEXT NOT NULL, sequence INTEGER NOT NULL, time_us INTEGER NOT NULL, csi BLOB NOT NULL)")
        }
        // Fields pulled out cheaply (fixed offsets in our simulator's envelopes would be cheating;
        // the baseline stores the envelope bytes whole and a running index as sequence).
        let started = ContinuousClock.now
        var index = 0
        while index < corpus.envelopes.count {
            let end = min(index + 4096, corpus.envelopes.count)
            try pool.write { db in
                let statement = try db.cachedStatement(sql: "INSERT INTO frames (device, sequence, time_us, csi) VALUES (?, ?, ?, ?)")
                for i in index..<end {
                    try statement.execute(arguments: ["bench", i, i, Data(corpus.envelopes[i])])
                }
            }
            index = end
        }
        let elapsed = ContinuousClock.now - started
        try pool.close()
        return Result(framesPerSecond: Double(corpus.envelopes.count) / elapsed.seconds)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
