// ledger-bench: the signed log's figures, each against a baseline measured in the same run.
//
//   swift run -c release ledger-bench [--entries 1000000] [--proofs 20000]
//
// 1. Gateway: appending event writes to the store with their log entries and tree nodes, vs a
//    plain insert of the same events (same batches, same transactions).
// 2. Proofs: tlog-proof@v1 from the SQLite store vs inclusion proofs from an in-memory tree.
// 3. Cloud: a backlog of every entry drained by the daemon's pusher into a running cloud-sync
//    over HTTP on 127.0.0.1 (verify signature, consistency and root, store), as entries/s and
//    seconds, at two batch sizes.
import Foundation
import Ledger

var entries = 1_000_000
var proofs = 20_000
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    let value = arguments.isEmpty ? nil : Int(arguments.removeFirst())
    switch (flag, value) {
    case ("--entries", let v?) where v > 0: entries = v
    case ("--proofs", let v?) where v > 0: proofs = v
    default:
        print("usage: ledger-bench [--entries N] [--proofs N]")
        exit(64)
    }
}
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
let signer = try NoteSignerKey.generate(name: "bench.example/gw")

print("ledger-bench: \(entries) entries, \(proofs) proofs")
let log = try StoreLogBench.run(entries: entries, batch: 1000, proofs: proofs, directory: directory, signer: signer)
print(String(format: "store write with log (events + entries + nodes): %.0f events/s", log.appendPerSecond))
print(String(format: "plain insert of the same events (baseline):      %.0f events/s   ratio %.2f", log.plainPerSecond,
             log.appendPerSecond / log.plainPerSecond))
print(String(format: "proofs from the store:                           %.0f proofs/s", log.proofsPerSecond))
print(String(format: "inclusion proofs from an in-memory tree:         %.0f proofs/s   ratio %.2f", log.memoryProofsPerSecond,
             log.proofsPerSecond / log.memoryProofsPerSecond))
print(String(format: "sync batches read from the store:                %.0f entries/s", log.batchEntriesPerSecond))
for batch in [1_000, 10_000] {
    let drain = try await DrainBench.run(gatewayDatabase: directory + "/bench-log.sqlite", signer: signer, directory: directory,
                                         batchMaxEntries: batch)
    print(String(format: "drain %d entries into cloud-sync over HTTP, batches of %5d: %.1f s, %.0f verified entries/s",
                 drain.entries, batch, drain.seconds, Double(drain.entries) / drain.seconds))
}
