// cloud-sync-bench: verified ingest of pushed batches (protobuf decode, leaf hashing, signature,
// consistency proof, tree append, root check, SQLite commit) against a plain insert of the same
// entries, side by side in one process.
//
//   swift run -c release cloud-sync-bench [--batches 20] [--batch-size 50000] [--rounds 3]
//   swift run -c release cloud-sync-bench --postgres 127.0.0.1:5432/empty_db   (PostgreSQL, one round)
//
// The target (issue: cloud sync) is >= 100,000 verified entries/s with SQLite on the 2-core box.
import CloudSync
import Foundation
import Logging

func option(_ name: String, _ fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let value = Int(arguments[i + 1]), value > 0 else {
        return fallback
    }
    return value
}

let batches = option("--batches", 20)
let batchSize = option("--batch-size", 50_000)
let rounds = option("--rounds", 3)
/// `--verified-only`: skip the baseline and the decode pass (for profiling the push path alone).
let verifiedOnly = CommandLine.arguments.contains("--verified-only")
let corpus = try SyncCorpus.make(batches: batches, batchSize: batchSize)
let total = Double(batches * batchSize)
print("cloud-sync-bench: \(batches) batches x \(batchSize) entries (\(corpus.entryBytes) bytes each on average), \(rounds) rounds")

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cloud-sync-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

var limits = CloudSyncConfig.Limits()
limits.maxEntries = max(limits.maxEntries, batchSize)
if let i = CommandLine.arguments.firstIndex(of: "--postgres"), i + 1 < CommandLine.arguments.count {
    try await PostgresRun.run(CommandLine.arguments[i + 1], corpus: corpus, limits: limits, total: total)
    exit(0)
}
var baseline: [Double] = []
var ours: [Double] = []
var decoding: [Double] = []
var cpu: [Double] = []
for round in 1...rounds {
    let plain = verifiedOnly ? 1 : try PlainInsertBaseline.run(corpus, directory: directory)
    if !verifiedOnly {
        // The part of a push that runs before the storage transaction, alone.
        let decodeStart = ContinuousClock.now
        for body in corpus.bodies {
            _ = try SyncBatchSubmission(protobuf: body, pathOrigin: corpus.origin, limits: limits)
        }
        decoding.append(total / (ContinuousClock.now - decodeStart).seconds)
    }
    let storage = try SQLiteCloudStorage(path: directory.appendingPathComponent("cloud-\(round).sqlite").path)
    _ = try await storage.enroll([EnrolledGateway(origin: corpus.origin, verifierKey: corpus.key.verifierKey)])
    var logger = Logger(label: "bench")
    logger.logLevel = .warning
    let mirror = LogMirror(storage: storage, limits: limits, logger: logger)
    let start = ContinuousClock.now
    let cpuStart = processCPUSeconds()
    for body in corpus.bodies {
        _ = try await mirror.push(origin: corpus.origin, body: body)
    }
    let verified = total / (ContinuousClock.now - start).seconds
    cpu.append(total / (processCPUSeconds() - cpuStart))
    try await storage.close()
    baseline.append(plain)
    ours.append(verified)
    print(String(format: "round %d: plain insert %.0f entries/s | verified ingest %.0f entries/s | ratio %.2f", round, plain, verified, verified / plain))
}
let medianOurs = ours.sorted()[ours.count / 2]
let medianBaseline = baseline.sorted()[baseline.count / 2]
print(String(format: "verified ingest (decode + hash + verify + store): %.0f entries/s", medianOurs))
print(String(format: "plain SQLite insert of the same entries:          %.0f entries/s", medianBaseline))
print(String(format: "ratio verified / plain: %.2f", medianOurs / medianBaseline))
if !decoding.isEmpty {
    print(String(format: "of which decode + leaf hashing alone (before the transaction): %.0f entries/s", decoding.sorted()[decoding.count / 2]))
}
// Other builds share this 2-core machine: entries per CPU-second of the whole process tells what
// one idle core would do.
print(String(format: "verified ingest per CPU-second (all threads): %.0f entries", cpu.sorted()[cpu.count / 2]))

func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
