import DSP
import Foundation
import GatewayCore
import Inference
import Ingest
import SensingProto
import Simulation
import Store

/// `ingest-bench pa`: GaN PA frames (1,024-sample I/Q blocks) through the full path — envelope
/// decode, checks, sequence validation, PA DSP (I/Q conversion and power, Hann-windowed
/// 1,024-point FFT for ACPR), AM/AM tracking, health alarms, near-field sensing, telemetry
/// averaging, and features, events and telemetry committed to SQLite — next to a plain SQLite
/// insert of the same envelopes; then the PA kernels against their scalar references.
enum PABench {
    static func run(_ args: BenchArguments) throws {
        var envelopes: [[UInt8]] = []
        let scenarios = PAScenario.allCases
        for device in 0..<args.devices {
            var options = PASimulator.Options()
            options.seconds = args.seconds
            options.rate = args.rate
            options.seed = UInt64(device + 1)
            options.device = DeviceID("pa-\(device)")
            var simulator = PASimulator(scenario: scenarios[device % scenarios.count], options: options, startTime: 1_767_225_600_000_000)
            while let frame = simulator.next() {
                envelopes.append(try PbEnvelope(ganPa: PbGanPaFrame(frame, receiveTime: frame.timestamp)).serializedBytes())
            }
        }
        let corpus = Corpus(envelopes: envelopes, medianBytes: envelopes.map(\.count).sorted()[envelopes.count / 2])
        print("pa-bench: \(args.devices) PA devices x \(Int(args.rate)) Hz x \(Int(args.seconds)) s = \(envelopes.count) frames of 1,024 samples, \(corpus.medianBytes) bytes each")
        var baseline: [Double] = []
        var ours: [Double] = []
        for round in 1...args.rounds {
            let b = try PlainInsertBaseline.run(corpus)
            let (rate, events, telemetry) = try path(corpus)
            baseline.append(b.framesPerSecond)
            ours.append(rate)
            print(String(format: "round %d: baseline %.0f frames/s | PA path %.0f frames/s (%d events, %d telemetry samples) | ratio %.2f",
                         round, b.framesPerSecond, rate, events, telemetry, rate / b.framesPerSecond))
        }
        print(String(format: "PA path (decode + check + DSP + health + sensing + store): %.0f frames/s", median(ours)))
        print(String(format: "plain SQLite insert of the same envelopes (baseline):    %.0f frames/s", median(baseline)))
        print(String(format: "ratio PA path / baseline: %.2f", median(ours) / median(baseline)))
        print("")
        kernels()
    }

    static func path(_ corpus: Corpus) throws -> (Double, Int, Int) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-pa-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + s) } }
        let store = try GatewayStore(path: file)
        let decoder = EnvelopeDecoder()
        var validator = FrameValidator()
        var pipeline = SensingPipeline()
        var output = SensingPipeline.Output()
        var events = 0
        var telemetry = 0
        var sinceCommit = 0
        let started = ContinuousClock.now
        for bytes in corpus.envelopes {
            for frame in decoder.decode(bytes, receivedAt: 0).paFrames {
                guard case .accept = validator.check(device: frame.device, sequence: frame.sequence) else { continue }
                pipeline.process(frame, into: &output)
            }
            sinceCommit += 1
            if sinceCommit >= 4096 {
                events += output.events.count
                telemetry += output.telemetry.count
                try commit(&output, store)
                sinceCommit = 0
            }
        }
        pipeline.finish(into: &output)
        events += output.events.count
        telemetry += output.telemetry.count
        try commit(&output, store)
        let elapsed = ContinuousClock.now - started
        try store.close()
        return (Double(corpus.envelopes.count) / elapsed.seconds, events, telemetry)
    }

    private static func commit(_ output: inout SensingPipeline.Output, _ store: GatewayStore) throws {
        var batch = StoreBatch(events: output.events, features: output.features)
        batch.telemetry = output.telemetry
        output.removeAll()
        if !batch.isEmpty { try store.write(batch) }
    }

    static func kernels() {
        print("PA kernel                     SIMD ns/call   scalar ns/call   speed-up")
        let n = 1024
        let iq = (0..<(2 * n)).map { Int16(truncatingIfNeeded: $0 &* 7919 &+ 13) }
        var floats = [Float](repeating: 0, count: 2 * n)
        var sink = 0.0
        KernelBench.report("I/Q to float + power (1024)", iterations: 200_000, simd: {
            let p = iq.withUnsafeBufferPointer { src in floats.withUnsafeMutableBufferPointer { IQBlock.convert(src, into: $0) } }
            sink += Double(p.sum)
        }, scalar: {
            let p = iq.withUnsafeBufferPointer { src in floats.withUnsafeMutableBufferPointer { ScalarReference.iqConvert(src, into: $0) } }
            sink += p.sum
        })
        do {
            var plan = try ComplexFFT(count: n, window: .hann)
            var power = [Float](repeating: 0, count: n)
            var re = [Float](repeating: 0, count: n)
            var im = re
            KernelBench.report("complex FFT power (1024)", iterations: 50_000, simd: {
                floats.withUnsafeBufferPointer { src in power.withUnsafeMutableBufferPointer { plan.powerSpectrum(src, into: $0) } }
            }, scalar: {
                floats.withUnsafeBufferPointer { src in
                    re.withUnsafeMutableBufferPointer { r in
                        im.withUnsafeMutableBufferPointer { i in
                            power.withUnsafeMutableBufferPointer { ScalarReference.complexFFTPower(src, into: $0, scratchReal: r, scratchImag: i) }
                        }
                    }
                }
            })
            if power[0].isNaN || sink.isNaN { print("(sink)") }
        } catch {
            print("complex FFT: \(error)")
        }
    }
}
