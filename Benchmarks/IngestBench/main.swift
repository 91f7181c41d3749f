// ingest-bench: throughput of the gateway's ingest path against a plain-SQLite baseline, and
// SIMD kernels against their scalar references, measured side by side in one process.
//
//   swift run -c release ingest-bench [--devices 64] [--seconds 40] [--rounds 3]
//   swift run -c release ingest-bench formats FILE...   (see FormatBench; Benchmarks/formats.sh)
//   swift run -c release ingest-bench pa [--devices 6] [--seconds 60] [--rounds 3]   (GaN PA frames, see PABench)
//   swift run -c release ingest-bench diffusion [--rounds 3]   (imputation and denoising, see DiffusionBench)
//
// Ratios matter more than absolute numbers on a noisy machine: each round runs the baseline and
// ours back to back, and the medians are reported.
import Foundation

if CommandLine.arguments.dropFirst().first == "formats" {
    try FormatBench.run(files: Array(CommandLine.arguments.dropFirst(2)), rounds: 5)
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "pa" {
    try PABench.run(BenchArguments(CommandLine.arguments.dropFirst(2), devices: 6, seconds: 60))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "diffusion" {
    try DiffusionBench.run(rounds: BenchArguments(CommandLine.arguments.dropFirst(2)).rounds)
    exit(0)
}
var arguments = BenchArguments(CommandLine.arguments.dropFirst())
print("ingest-bench: \(arguments.devices) devices x \(arguments.rate) Hz x \(arguments.seconds) s, \(arguments.rounds) rounds")
let corpus = try Corpus.make(arguments)
print(String(format: "corpus: %d frames, %d envelope bytes each (median)", corpus.envelopes.count, corpus.medianBytes))

var baseline: [Double] = []
var ours: [Double] = []
for round in 1...arguments.rounds {
    let b = try PlainInsertBaseline.run(corpus)
    let o = try IngestPathBench.run(corpus)
    baseline.append(b.framesPerSecond)
    ours.append(o.framesPerSecond)
    print(String(format: "round %d: baseline %.0f frames/s | ingest path %.0f frames/s (%d windows, %d events stored) | ratio %.2f",
                 round, b.framesPerSecond, o.framesPerSecond, o.windows, o.events, o.framesPerSecond / b.framesPerSecond))
}
let medianBaseline = median(baseline)
let medianOurs = median(ours)
print(String(format: "ingest path (decode + validate + DSP + detect + store): %.0f frames/s", medianOurs))
print(String(format: "plain SQLite insert of the same frames (baseline):      %.0f frames/s", medianBaseline))
print(String(format: "ratio ingest path / baseline: %.2f", medianOurs / medianBaseline))
print("")
KernelBench.runAll()

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}
