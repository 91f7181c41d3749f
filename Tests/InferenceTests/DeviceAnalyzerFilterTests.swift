import Foundation
import GatewayCore
import Inference
import Testing

/// The analyzer's Hampel filter and coherence feature.
@Suite struct DeviceAnalyzerFilterTests {
    /// An LLTF frame at 100 frames/s whose subcarrier k has amplitude `amplitude(k)`.
    private func frame(_ i: Int, _ amplitude: (Int) -> Double) -> CSIFrame {
        var pairs = [Int8](repeating: 0, count: 128)
        for k in 0..<64 {
            let s = k < 32 ? k : k - 64
            guard s != 0, abs(s) <= 26 else { continue }
            let a = amplitude(k)
            pairs[2 * k] = Int8(clamping: Int((a * 0.6).rounded()))
            pairs[2 * k + 1] = Int8(clamping: Int((a * 0.8).rounded()))
        }
        return CSIFrame(device: "n1", sequence: UInt32(i), timestamp: Int64(i) * 10_000, payload: .int8Pairs(pairs))
    }

    private func window(hampel: Int, frames: Int = 40, _ amplitude: (Int, Int) -> Double) -> AnalysisWindow? {
        var settings = DetectorSettings()
        settings.hampelWindow = hampel
        settings.windowMillis = frames * 10
        var analyzer = DeviceAnalyzer(device: "n1", settings: settings)
        for i in 0..<frames { _ = analyzer.add(frame(i) { amplitude(i, $0) }) }
        return analyzer.flush()
    }

    @Test func hampelFilterRemovesIsolatedSpikes() throws {
        var gen = SyntheticFrames()
        // A still channel with small noise, and in every ninth frame one subcarrier tripled (none in
        // the filter's first six frames, which pass unfiltered).
        let spiky: (Int, Int) -> Double = { i, k in
            let base = 30 + 8 * sin(Double(k) * 0.4) + (gen.uniform() - 0.5) * 0.6
            return i % 9 == 8 && k == 5 + i % 20 ? base * 3 : base
        }
        let filtered = try #require(window(hampel: 7, spiky))
        var again = SyntheticFrames()
        let raw = try #require(window(hampel: 0) { i, k in
            let base = 30 + 8 * sin(Double(k) * 0.4) + (again.uniform() - 0.5) * 0.6
            return i % 9 == 8 && k == 5 + i % 20 ? base * 3 : base
        })
        #expect(filtered.outliers >= 4, "each spike replaced (and some quantised noise)")
        #expect(raw.outliers == 0)
        #expect(raw.features.motionScore > 10 * filtered.features.motionScore)
    }

    @Test func hampelFilterPassesSustainedChange() throws {
        // A slow swell of every subcarrier (movement, not a spike) is left alone.
        let swell: (Int, Int) -> Double = { i, k in (30 + 8 * sin(Double(k) * 0.4)) * (1 + 0.3 * sin(Double(i) * 0.2)) }
        let on = try #require(window(hampel: 7, swell))
        let off = try #require(window(hampel: 0, swell))
        #expect(on.features.motionScore > 0.8 * off.features.motionScore)
    }

    @Test func coherenceSeparatesSharedChangesFromNoise() throws {
        var gen = SyntheticFrames()
        // Independent jitter per subcarrier: no shared component.
        let noise = try #require(window(hampel: 0) { _, k in (30 + 8 * sin(Double(k) * 0.4)) * (1 + 0.05 * (gen.uniform() * 2 - 1)) })
        // One moving path: every subcarrier follows the same time course with its own sign and
        // weight, so the profile's shape changes (gain compensation does not remove it).
        var shared = SyntheticFrames(state: 7)
        let coherent = try #require(window(hampel: 0) { i, k in
            (30 + 8 * sin(Double(k) * 0.4)) * (1 + 0.1 * sin(Double(i) * 0.5) * cos(Double(k) * 0.3)) + (shared.uniform() - 0.5) * 0.2
        })
        #expect(coherent.features.coherence > 0.7)
        #expect(noise.features.coherence > 0 && noise.features.coherence < 0.35)
        // Too few frames to estimate a 16 x 16 correlation: not measured.
        #expect(window(hampel: 0, frames: 5) { _, k in 30 + Double(k % 3) }?.features.coherence == 0)
    }
}
