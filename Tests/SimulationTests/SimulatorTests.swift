import GatewayCore
import Simulation
import Testing

@Suite("CSISimulator")
struct SimulatorTests {
    private static func frames(_ simulator: CSISimulator) -> [CSIFrame] {
        Array(simulator)
    }

    private static func pairs(_ frame: CSIFrame) -> [Int8] {
        if case .int8Pairs(let values) = frame.payload { return values }
        return []
    }

    @Test("the same seed gives identical frames; another seed does not")
    func determinism() {
        let a = Self.frames(CSISimulator(scenario: .walk, seconds: 3, devices: 2, seed: 42, startTime: 1_000))
        let b = Self.frames(CSISimulator(scenario: .walk, seconds: 3, devices: 2, seed: 42, startTime: 1_000))
        let c = Self.frames(CSISimulator(scenario: .walk, seconds: 3, devices: 2, seed: 43, startTime: 1_000))
        #expect(a.count == 600)
        #expect(a == b)
        #expect(a.count == c.count)
        #expect(zip(a, c).filter { $0.0.payload == $0.1.payload }.count < 10)
    }

    @Test("rooms depend on the seed only: empty-walk-empty starts exactly like empty")
    func roomsIndependentOfScenario() {
        let empty = CSISimulator(scenario: .empty, seconds: 6, devices: 2, seed: 8, startTime: 0)
        let mixed = CSISimulator(scenario: .emptyWalkEmpty, seconds: 6, devices: 2, seed: 8, startTime: 0)
        for device in 0..<2 {
            #expect(empty.channelModel(device: device).staticPaths == mixed.channelModel(device: device).staticPaths)
            #expect(empty.channelModel(device: device).gain == mixed.channelModel(device: device).gain)
        }
        let before = Self.frames(empty).prefix { $0.timestamp < 2_000_000 }
        #expect(before.count > 350)
        #expect(Array(before) == Array(Self.frames(mixed).prefix(before.count)))
    }

    @Test("frame count, order, sequence numbers, timing and fields")
    func countsAndFields() {
        let start: Int64 = 1_700_000_000_000_000
        let simulator = CSISimulator(scenario: .emptyWalkEmpty, seconds: 4.5, rate: 50, devices: 3, seed: 5, startTime: start)
        #expect(simulator.totalFrames == 675)
        #expect(simulator.deviceIDs == ["sim-01", "sim-02", "sim-03"])
        let frames = Self.frames(simulator)
        #expect(frames.count == 675)
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.0.timestamp <= $0.1.timestamp }, "time order across devices")
        for id in simulator.deviceIDs {
            let own = frames.filter { $0.device == id }
            #expect(own.count == 225)
            #expect(own.map(\.sequence) == (0..<225).map { UInt32($0) })
            // Nominal period 20 ms, jitter at most ±5 % of it at each end.
            let gaps = zip(own, own.dropFirst()).map { $0.1.timestamp - $0.0.timestamp }
            #expect(gaps.allSatisfy { $0 >= 17_999 && $0 <= 22_001 }, "\(id): gaps \(gaps.min() ?? 0)...\(gaps.max() ?? 0)")
            let deviceGaps = zip(own, own.dropFirst()).map { Int64($0.1.deviceTimestamp &- $0.0.deviceTimestamp) }
            #expect(deviceGaps == gaps, "the device clock runs with the gateway clock")
            #expect(own.allSatisfy { $0.timestamp >= start && $0.timestamp < start + 4_600_000 })
        }
        for frame in frames {
            #expect(frame.channel == 6 && frame.noiseFloor == -95)
            #expect(frame.bandwidth == .mhz20 && frame.layout == .lltf && !frame.firstWordInvalid)
            #expect((-66 ... -34).contains(frame.rssi), "rssi \(frame.rssi)")
            #expect(Self.pairs(frame).count == 128)
        }
    }

    @Test("empty or invalid runs produce nothing")
    func emptyRuns() {
        #expect(Self.frames(CSISimulator(scenario: .walk, seconds: 0, seed: 1, startTime: 0)).isEmpty)
        #expect(Self.frames(CSISimulator(scenario: .walk, seconds: 5, rate: -1, seed: 1, startTime: 0)).isEmpty)
        #expect(Self.frames(CSISimulator(scenario: .walk, seconds: .nan, seed: 1, startTime: 0)).isEmpty)
        #expect(CSISimulator(scenario: .walk, seconds: 5, devices: 0, seed: 1, startTime: 0).totalFrames == 0)
    }

    @Test("DC and guard bins are zero; data bins carry energy")
    func layout() {
        var simulator = CSISimulator(scenario: .walk, seconds: 2, devices: 2, seed: 11, startTime: 0)
        let inactive = (0..<64).filter { k in
            let s = k < 32 ? k : k - 64
            return s == 0 || abs(s) > 26
        }
        #expect(inactive.count == 12)
        #expect(inactive.allSatisfy { !ChannelModel.isActive(bin: $0) })
        while let frame = simulator.next() {
            let values = Self.pairs(frame)
            #expect(inactive.allSatisfy { values[2 * $0] == 0 && values[2 * $0 + 1] == 0 })
            let energetic = (0..<64).filter { values[2 * $0] != 0 || values[2 * $0 + 1] != 0 }
            #expect(energetic.count >= 45, "\(energetic.count) data bins carry energy")
        }
    }

    @Test("a noiseless frame equals a direct evaluation of the model, imaginary byte first")
    func matchesModel() {
        for scenario in [ScenarioName.empty, .walk] {
            var simulator = CSISimulator(scenario: scenario, seconds: 2, devices: 2, seed: 21, startTime: 0,
                                         options: .noiseless)
            var checked = 0
            while let frame = simulator.next() {
                guard frame.sequence % 37 == 5 else { continue }
                let device = simulator.deviceIDs.firstIndex(of: frame.device) ?? 0
                let body = simulator.lastBody(device: device)
                #expect((body != nil) == (scenario == .walk))
                let expected = DirectModel.expectedPairs(simulator.channelModel(device: device), body: body)
                let values = Self.pairs(frame).map(Int.init)
                var exact = 0
                var swappedExact = 0
                var worst = 0
                for k in 0..<64 {
                    let imag = values[2 * k]
                    let real = values[2 * k + 1]
                    worst = max(worst, abs(imag - expected[k].imag), abs(real - expected[k].real))
                    if imag == expected[k].imag && real == expected[k].real { exact += 1 }
                    if real == expected[k].imag && imag == expected[k].real { swappedExact += 1 }
                }
                // Rounding of values a hair from .5 may differ by one unit; nothing more.
                #expect(worst <= 1)
                #expect(exact >= 60, "\(exact) of 64 bins exact")
                #expect(swappedExact < 30, "real-then-imag order would not match")
                checked += 1
            }
            #expect(checked >= 8)
        }
    }

    @Test("the person is there exactly when the scenario says")
    func timeline() {
        for scenario in ScenarioName.allCases {
            var simulator = CSISimulator(scenario: scenario, seconds: 9, rate: 20, seed: 3, startTime: 0)
            while let frame = simulator.next() {
                let t = Double(frame.timestamp) / 1_000_000
                let present = simulator.lastBody(device: 0) != nil
                let expected = switch scenario {
                case .empty: false
                case .walk, .fall, .sitDown, .lieDown, .still: true
                case .emptyWalkEmpty: t >= 3 && t < 6
                }
                #expect(present == expected, "\(scenario.rawValue) at \(t) s")
            }
        }
    }
}
