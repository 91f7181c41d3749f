import DSP
import GatewayCore
import Simulation
import Testing

@Suite("Motion is visible in the amplitudes")
struct MotionVarianceTests {
    /// Mean over the data subcarriers of the amplitude variance in each 1 s window, per device,
    /// with the window's start time in seconds.
    static func windowScores(_ simulator: CSISimulator) -> [DeviceID: [(start: Double, score: Double)]] {
        var simulator = simulator
        let active = (0..<64).filter { ChannelModel.isActive(bin: $0) }
        var amplitudes = [Float](repeating: 0, count: 64)
        var selected = [Float](repeating: 0, count: active.count)
        var variance = [Float](repeating: 0, count: active.count)
        var moments: [DeviceID: WindowMoments] = [:]
        var windowIndex: [DeviceID: Int] = [:]
        var scores: [DeviceID: [(start: Double, score: Double)]] = [:]
        func close(_ device: DeviceID) {
            guard let window = moments[device], window.count > 0, let index = windowIndex[device] else { return }
            variance.withUnsafeMutableBufferPointer { window.variance(into: $0) }
            let score = variance.reduce(0, +) / Float(variance.count)
            scores[device, default: []].append((Double(index), Double(score)))
        }
        while let frame = simulator.next() {
            guard case .int8Pairs(let pairs) = frame.payload else { continue }
            let index = Int(frame.timestamp / 1_000_000)
            if windowIndex[frame.device] != index {
                close(frame.device)
                windowIndex[frame.device] = index
                moments[frame.device, default: WindowMoments(capacity: active.count)].reset(subcarriers: active.count)
            }
            pairs.withUnsafeBufferPointer { src in
                amplitudes.withUnsafeMutableBufferPointer { Amplitude.fromInt8Pairs(src, into: $0) }
            }
            for (i, k) in active.enumerated() { selected[i] = amplitudes[k] }
            selected.withUnsafeBufferPointer { moments[frame.device]?.add($0) }
        }
        for device in moments.keys { close(device) }
        return scores
    }

    @Test("empty-walk-empty: walking windows vary at least 5x more than empty ones")
    func walkingVariesMore() {
        let seconds = 60.0
        let simulator = CSISimulator(scenario: .emptyWalkEmpty, seconds: seconds, devices: 2, seed: 2024, startTime: 0)
        let scores = Self.windowScores(simulator)
        #expect(scores.count == 2)
        for (device, windows) in scores {
            // Whole windows only, one second clear of the transitions.
            let empty = windows.filter { $0.start + 1 <= 19 || $0.start >= 41 }.map(\.score)
            let walking = windows.filter { $0.start >= 21 && $0.start + 1 <= 39 }.map(\.score)
            let emptyMean = empty.reduce(0, +) / Double(empty.count)
            let walkingMean = walking.reduce(0, +) / Double(walking.count)
            let ratio = walkingMean / emptyMean
            #expect(empty.count >= 35 && walking.count >= 17)
            #expect(ratio >= 5, "\(device): walking \(walkingMean), empty \(emptyMean), ratio \(ratio)")
            // The empty room is steady: no empty window looks like the average walking one.
            #expect((empty.max() ?? 0) < walkingMean / 3, "\(device): empty max \(empty.max() ?? 0)")
        }
    }
}
