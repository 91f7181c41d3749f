import Foundation
import GatewayCore
@testable import Inference
import Testing

@Suite struct DopplerTrackerTests {
    /// Feeds `seconds` of 52 subcarriers whose level beats at `hertz` (depth 20 %) at `rate`
    /// frames/s, and returns the bands at the end.
    func bands(hertz: Double, rate: Double, seconds: Double = 1, channel: UInt16 = 6,
               step: (at: Double, ratio: Float)? = nil) -> DopplerBands? {
        var tracker = DopplerTracker()
        tracker.reset(selected: 52)
        var values = [Float](repeating: 0, count: 52)
        var gain: Float = 1
        var previous: Float = 0
        for n in 0..<Int(seconds * rate) {
            let t = Double(n) / rate
            if let step, t >= step.at { gain = step.ratio }
            for k in 0..<52 {
                values[k] = gain * Float(30 + 5 * sin(Double(k) * 0.3)) * Float(1 + 0.2 * sin(2 * Double.pi * hertz * t + Double(k) * 0.05))
            }
            let level = values.reduce(0, +) / 52
            let jump: Float? = previous > 0 && max(level, previous) > DeviceAnalyzer.gainStepRatio * min(level, previous) ? level / previous : nil
            previous = level
            values.withUnsafeBufferPointer {
                tracker.add($0, timestamp: Int64(t * 1_000_000), channel: channel, step: jump)
            }
        }
        return tracker.bands()
    }

    @Test(arguments: [20.0, 100.0, 1000.0])
    func slowBeatsAreSlow(rate: Double) throws {
        // 0.2 m/s of path speed: 1.6 Hz at 2.4 GHz.
        let slow = try #require(bands(hertz: 1.6, rate: rate, seconds: 2))
        #expect(abs(slow.frameRate - rate) / rate < 0.01)
        #expect(slow.fast < 0.1 * slow.total, "rate \(rate): \(slow)")
    }

    /// 3 m/s of path speed is 24 Hz at 2.4 GHz; at 50 frames/s only 20 Hz can be seen. (At
    /// 20 frames/s the fast band starts at 8 Hz, next to the 10 Hz Nyquist limit.)
    @Test(arguments: [50.0, 100.0, 1000.0])
    func fastBeatsAreFast(rate: Double) throws {
        let fast = try #require(bands(hertz: min(24, rate * 0.4), rate: rate, seconds: 2))
        #expect(fast.fast > 0.8 * fast.total, "rate \(rate): \(fast)")
        #expect(fast.seconds >= DopplerTracker.spanSeconds * 0.9)
    }

    @Test func fiveGigahertzHalvesTheSpeedOfABeat() throws {
        // 8 Hz is 1 m/s of path speed at 2.4 GHz but 0.54 m/s at 5.5 GHz.
        let wavelength24 = DopplerTracker.wavelength(channel: 6)
        let wavelength5 = DopplerTracker.wavelength(channel: 100)
        #expect(abs(wavelength24 - 0.1230) < 0.001)
        #expect(abs(wavelength5 - 0.0545) < 0.001)
        let low = try #require(bands(hertz: 14, rate: 200, seconds: 2, channel: 6))
        let high = try #require(bands(hertz: 14, rate: 200, seconds: 2, channel: 100))
        #expect(low.fast > 0.8 * low.total)
        #expect(high.fast < 0.2 * high.total)
    }

    @Test func gainStepsDoNotLookLikeMovement() throws {
        let steady = try #require(bands(hertz: 0, rate: 100, seconds: 1))
        let stepped = try #require(bands(hertz: 0, rate: 100, seconds: 1, step: (at: 0.8, ratio: 2)))
        #expect(stepped.total < 1e-6 + 2 * steady.total, "\(stepped)")
    }

    @Test func tooFewFramesGiveNothing() {
        var tracker = DopplerTracker()
        tracker.reset(selected: 52)
        let values = [Float](repeating: 30, count: 52)
        for n in 0..<5 {
            values.withUnsafeBufferPointer { tracker.add($0, timestamp: Int64(n) * 10_000, channel: 6, step: nil) }
        }
        #expect(tracker.bands() == nil)
    }
}
