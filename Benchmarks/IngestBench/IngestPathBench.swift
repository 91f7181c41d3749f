import Foundation
import GatewayCore
import Inference
import Ingest
import Store

/// Ours: the path a datagram takes in the daemon, minus the socket: envelope decode, structural
/// and sequence validation, amplitudes and window moments (SIMD), calibration and the
/// presence/motion detector, then features and events committed to SQLite in batches.
enum IngestPathBench {
    struct Result {
        var framesPerSecond: Double
        var windows: Int
        var events: Int
    }

    static func run(_ corpus: Corpus) throws -> Result {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-ingest-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let store = try GatewayStore(path: path)
        let decoder = EnvelopeDecoder()
        var validator = FrameValidator()
        var settings = DetectorSettings()
        settings.calibrationSeconds = 5
        // INGEST_BENCH_DIFFUSION=off measures the path without the diffusion engine (on by default).
        if ProcessInfo.processInfo.environment["INGEST_BENCH_DIFFUSION"] == "off" { settings.diffusion.enabled = false }
        var pipeline = SensingPipeline(settings: settings)
        var output = SensingPipeline.Output()
        var windows = 0
        var events = 0
        var sinceCommit = 0
        let started = ContinuousClock.now
        for bytes in corpus.envelopes {
            let decoded = decoder.decode(bytes, receivedAt: 0)
            for frame in decoded.frames {
                guard case .accept(let lost) = validator.check(device: frame.device, sequence: frame.sequence) else { continue }
                pipeline.process(frame, lostBefore: lost, into: &output)
            }
            sinceCommit += 1
            if sinceCommit >= 4096 {
                (windows, events) = try commit(&output, store: store, windows: windows, events: events)
                sinceCommit = 0
            }
        }
        pipeline.finish(into: &output)
        (windows, events) = try commit(&output, store: store, windows: windows, events: events)
        let elapsed = ContinuousClock.now - started
        try store.close()
        return Result(framesPerSecond: Double(corpus.envelopes.count) / elapsed.seconds, windows: windows, events: events)
    }

    private static func commit(_ output: inout SensingPipeline.Output, store: GatewayStore, windows: Int, events: Int) throws -> (Int, Int) {
        let batch = StoreBatch(events: output.events, features: output.features)
        let counts = (windows + output.features.count, events + output.events.count)
        output.removeAll()
        if !batch.isEmpty { try store.write(batch) }
        return counts
    }
}
