import TestPeers
import Foundation
import GatewayCore
@testable import Inference
import Testing

/// Synthetic series with known change points.
@Suite struct RegimeShiftDetectorTests {
    /// Seeded normal deviates (SplitMix64 + Box-Muller): the same series on every run.
    struct Noise {
        var bits: SplitMix
        var spare: Double?
        init(seed: UInt64) { bits = SplitMix(seed: seed) }
        mutating func uniform() -> Double {
            (Double(bits.next() >> 11) + 0.5) / 9_007_199_254_740_992
        }
        mutating func gaussian() -> Double {
            if let spare { self.spare = nil; return spare }
            let r = (-2 * Foundation.log(uniform())).squareRoot()
            let a = 2 * Double.pi * uniform()
            spare = r * sin(a)
            return r * cos(a)
        }
    }

    /// Feeds `count` samples from `value(i)` at `time(i)` and returns the events.
    func run(_ detector: inout RegimeShiftDetector, count: Int, time: (Int) -> Int64, value: (Int) -> Double) -> [(index: Int, event: SensingEvent)] {
        var events: [(Int, SensingEvent)] = []
        for i in 0..<count {
            if let event = detector.observe(TelemetrySample(source: detector.source, point: detector.point, value: .number(value(i)), unit: "%", time: time(i))) {
                events.append((i, event))
            }
        }
        return events
    }

    let regular: (Int) -> Int64 = { 1_700_000_000_000_000 + Int64($0) * 100_000 }

    @Test func oneSigmaLevelShiftIsFoundWithinFiftySamples() {
        var delays: [Int] = []
        for seed in 1...20 {
            var noise = Noise(seed: UInt64(seed))
            var detector = RegimeShiftDetector(source: "press-1", point: "load")
            let events = run(&detector, count: 600, time: regular) { i in 10 + 2 * noise.gaussian() + (i >= 300 ? 2 : 0) }
            guard let first = events.first else {
                Issue.record("seed \(seed): the 1 sigma shift at 300 was not found")
                continue
            }
            #expect(first.index >= 300, "seed \(seed): false alarm at \(first.index)")
            delays.append(first.index - 300)
            let e = first.event
            #expect(e.kind == .regimeShift)
            #expect(e.device == DeviceID("press-1/load"))
            #expect(e.id == "press-1/load/regime_shift/\(e.start)")
            #expect(e.end == regular(first.index))
            // The estimated change point lies near the true one.
            #expect(abs(Int((e.start - regular(300)) / 100_000)) <= 30, "seed \(seed): change estimated at \(e.start)")
            let f = Dictionary(uniqueKeysWithValues: e.features.map { ($0.name, $0.value) })
            #expect(abs((f["mean_before"] ?? 0) - 10) < 0.8)
            #expect(abs((f["std_before"] ?? 0) - 2) < 0.5)
            #expect(abs((f["mean_after"] ?? 0) - 12) < 1.5)
            #expect(f["change_variance"] == 0 && f["direction"] == 1)
        }
        #expect(delays.filter { $0 <= 50 }.count >= 18 && delays.allSatisfy { $0 <= 100 }, "delays \(delays)")
        print("regime shift: 1 sigma level shift found after \(delays.sorted()) samples")
    }

    @Test func varianceDoublingAndHalving() {
        var up: [Int] = []
        var down: [Int] = []
        var classifiedAsVariance = 0
        for seed in 1...20 {
            var noise = Noise(seed: UInt64(100 + seed))
            var detector = RegimeShiftDetector(source: "press-1", point: "load")
            let events = run(&detector, count: 1500, time: regular) { i in
                let sigma = i < 500 ? 1.0 : i < 1000 ? 2.0.squareRoot() : 1.0
                return 5 + sigma * noise.gaussian()
            }
            let features = events.map { e in Dictionary(uniqueKeysWithValues: e.event.features.map { ($0.name, $0.value) }) }
            if let i = events.firstIndex(where: { $0.index >= 500 && $0.index < 1000 }) {
                #expect(features[i]["direction"] == 1, "\(features[i])")
                if features[i]["change_variance"] == 1 { classifiedAsVariance += 1 }
                up.append(events[i].index - 500)
            }
            if let i = events.firstIndex(where: { $0.index >= 1000 }) {
                #expect(features[i]["direction"] == -1)
                down.append(events[i].index - 1000)
            }
            #expect(events.filter { $0.index < 500 }.isEmpty, "seed \(seed): false alarm before the change")
        }
        // Variance changes need more samples than level shifts: a doubled variance is found
        // within 400 samples in at least 18 of 20 series.
        #expect(classifiedAsVariance >= 16, "the variance CUSUM, not a level one, should see most doublings first")
        #expect(up.filter { $0 <= 400 }.count >= 18, "doubling delays \(up.sorted())")
        #expect(down.filter { $0 <= 500 }.count >= 16, "halving delays \(down.sorted())")
        print("regime shift: variance doubling found after \(up.sorted()), halving after \(down.sorted()) samples")
    }

    @Test func stationaryNoiseRarelyAlarms() {
        var noise = Noise(seed: 42)
        var detector = RegimeShiftDetector(source: "press-1", point: "load")
        let count = 100_000
        let events = run(&detector, count: count, time: regular) { _ in 50 + 3 * noise.gaussian() }
        print("regime shift: \(events.count) false alarm(s) in \(count) stationary samples")
        #expect(events.count <= 2, "false alarms at \(events.map(\.index))")
    }

    @Test func irregularTimestampsAndSkippedSamples() {
        var noise = Noise(seed: 9)
        var detector = RegimeShiftDetector(source: "press-1", point: "load")
        var t: Int64 = 1_700_000_000_000_000
        var times: [Int64] = []
        for _ in 0..<800 {
            t += Int64(1_000 + noise.uniform() * 2_000_000)  // 1 ms to 2 s apart
            times.append(t)
        }
        let events = run(&detector, count: 800, time: { times[$0] }) { i in i >= 400 ? -1.5 + noise.gaussian() : noise.gaussian() }
        #expect(events.count == 1)
        if let e = events.first {
            #expect(e.index >= 400 && e.index < 440)
            #expect(e.event.start >= times[370] && e.event.start <= times[e.index])
            #expect(e.event.features.first { $0.name == "direction" }?.value == -1)
        }
        // Text, bad quality, other points and stale time stamps are skipped, not fatal.
        let before = detector.skipped
        _ = detector.observe(TelemetrySample(source: "press-1", point: "load", value: .text("x"), time: t + 1))
        _ = detector.observe(TelemetrySample(source: "press-1", point: "load", value: .number(1), quality: .bad, time: t + 1))
        _ = detector.observe(TelemetrySample(source: "press-1", point: "other", value: .number(1), time: t + 1))
        _ = detector.observe(TelemetrySample(source: "press-1", point: "load", value: .number(.nan), time: t + 1))
        _ = detector.observe(TelemetrySample(source: "press-1", point: "load", value: .number(1), time: t - 10_000_000_000))
        #expect(detector.skipped == before + 5)
    }

    @Test func minimumSegmentAndCooldown() {
        var settings = RegimeShiftSettings()
        settings.minSegmentSamples = 50
        settings.cooldownSeconds = 2
        #expect(settings.problem == nil)
        var detector = RegimeShiftDetector(source: "m", point: "p", settings: settings)
        // Steps every 30 samples (3 s): too short for a segment after the first.
        var noise = Noise(seed: 3)
        let events = run(&detector, count: 400, time: regular) { i in Double((i / 100) % 2) * 5 + 0.2 * noise.gaussian() }
        // Changes at 100, 200, 300; each detection re-learns for 2 s + 50 samples before the next.
        #expect(events.map(\.index).count == 3, "\(events.map(\.index))")
        for (k, e) in events.enumerated() { #expect(e.index >= 100 * (k + 1) && e.index < 100 * (k + 1) + 10) }
        var bad = RegimeShiftSettings()
        bad.minSegmentSamples = 3
        #expect(bad.problem?.contains("at least 10") == true)
    }
}
