import Foundation
import GatewayCore
import Inference
import Simulation
import Testing

@Suite("Bands and bandwidths")
struct FrameFormatTests {
    private static func frames(_ options: SimulationOptions, scenario: ScenarioName = .walk, seconds: Double = 2) -> (CSISimulator, [CSIFrame]) {
        let simulator = CSISimulator(scenario: scenario, seconds: seconds, devices: 2, seed: 31, startTime: 0, options: options)
        return (simulator, Array(simulator))
    }

    /// (real, imag) per buffer position, whatever the payload.
    private static func values(_ frame: CSIFrame) -> [(re: Double, im: Double)] {
        switch frame.payload {
        case .int8Pairs(let v): return (0..<v.count / 2).map { (Double(v[2 * $0 + 1]), Double(v[2 * $0])) }
        case .complex(let v): return (0..<v.count / 2).map { (Double(v[2 * $0]), Double(v[2 * $0 + 1])) }
        }
    }

    @Test("5 GHz: channel 36 at 5180 MHz, wavelength under half of 2.4 GHz's, so Doppler more than doubles")
    func fiveGigahertz() throws {
        let format = try FrameFormat(band: .ghz5, bandwidth: .mhz20)
        #expect(format.channel == 36 && format.layout == .lltf && format.bins == 64)
        #expect(format.grids[0].frequency(ofBin: 0) == 5_180e6)
        #expect(format.grids[0].frequency(ofBin: 1) == 5_180.3125e6)
        #expect(format.grids[0].frequency(ofBin: 63) == 5_179.6875e6)
        #expect(abs(format.wavelength - 0.057_875) < 1e-5)
        let ratio = FrameFormat.esp32LLTF.wavelength / format.wavelength
        #expect(ratio > 2.1 && ratio < 2.2, "Doppler ratio \(ratio)")
        #expect(abs(FrameFormat.esp32LLTF.wavelength - ChannelModel.wavelength) < 1e-15)
        let (simulator, frames) = Self.frames(SimulationOptions(band: .ghz5))
        #expect(simulator.channelModel(device: 0).format == format)
        #expect(frames.allSatisfy { $0.channel == 36 && $0.bandwidth == .mhz20 })
        // The same room as on 2.4 GHz: the seed decides the geometry, the band only the carrier.
        let plain = CSISimulator(scenario: .walk, seconds: 2, devices: 2, seed: 31, startTime: 0)
        #expect(plain.channelModel(device: 1).staticPaths == simulator.channelModel(device: 1).staticPaths)
    }

    @Test("grids: 52, 114 and 242 active subcarriers, DC nulls and guards empty")
    func tonePlans() throws {
        #expect(SubcarrierGrid.lltf(centre: 0).activeCount == 52)
        #expect(SubcarrierGrid.ht40(centre: 0).activeCount == 114)
        #expect(SubcarrierGrid.vht80(centre: 0).activeCount == 242)
        for grid in [SubcarrierGrid.lltf(centre: 0), .ht40(centre: 0), .vht80(centre: 0)] {
            #expect((0..<grid.bins).filter { grid.isActive(bin: $0) }.count == grid.activeCount)
        }
        let vht = SubcarrierGrid.vht80(centre: 5_210e6)
        #expect(!vht.isActive(bin: 0) && !vht.isActive(bin: 1) && !vht.isActive(bin: 255))
        #expect(vht.isActive(bin: 2) && vht.isActive(bin: 122) && !vht.isActive(bin: 123))
        #expect(vht.isActive(bin: 256 - 122) && !vht.isActive(bin: 256 - 123) && vht.isActive(bin: 254))
        #expect(vht.frequency(ofBin: 122) == 5_210e6 + 122 * 312.5e3)
        #expect(vht.frequency(ofBin: 134) == 5_210e6 - 122 * 312.5e3)
        let ht40 = try FrameFormat(band: .ghz2_4, bandwidth: .mhz40)
        #expect(ht40.bins == 192 && ht40.layout == .lltfHTLTF && ht40.channel == 6)
        #expect(ht40.grids.map(\.centreFrequency) == [2_437e6, 2_447e6])
        #expect(try FrameFormat(band: .ghz2_4, bandwidth: .mhz40, secondary: .below).grids[1].centreFrequency == 2_427e6)
        #expect(try FrameFormat(band: .ghz5, bandwidth: .mhz40, secondary: .below).channel == 40)
        #expect(ht40.activeBins.filter { $0 }.count == 52 + 114)
    }

    @Test("80 MHz needs 5 GHz; 160 MHz is not simulated; bad options give an empty run")
    func rejectsImpossibleChannels() throws {
        #expect(throws: GatewayError.self) { try FrameFormat(band: .ghz2_4, bandwidth: .mhz80) }
        do {
            _ = try SimulationOptions(band: .ghz2_4, bandwidth: .mhz80).frameFormat()
            Issue.record("80 MHz at 2.4 GHz accepted")
        } catch {
            #expect(error.code == .invalidConfig)
            #expect(error.message.contains("5 GHz"))
        }
        #expect(throws: GatewayError.self) { try FrameFormat(band: .ghz5, bandwidth: .mhz160) }
        #expect(throws: GatewayError.self) { try SimulationOptions(lossFraction: 0.97).frameFormat() }
        #expect(throws: GatewayError.self) { try SimulationOptions(agcStepsPerMinute: -1).frameFormat() }
        let bad = CSISimulator(scenario: .walk, seconds: 5, seed: 1, startTime: 0, options: SimulationOptions(bandwidth: .mhz80))
        #expect(bad.totalFrames == 0 && Array(bad).isEmpty)
        #expect(throws: GatewayError.self) { try RadioBand.parse("6") }
        #expect(try RadioBand.parse(" 5GHz") == .ghz5)
    }

    @Test("40 MHz: an ESP32 HT40 buffer whose LLTF the gateway's selection picks, 52 subcarriers with energy")
    func ht40Frames() throws {
        let format = try FrameFormat(band: .ghz2_4, bandwidth: .mhz40)
        let active = format.activeBins
        let (_, frames) = Self.frames(SimulationOptions(bandwidth: .mhz40))
        #expect(frames.count == 400)
        for frame in frames {
            #expect(frame.bandwidth == .mhz40 && frame.layout == .lltfHTLTF && frame.channel == 6)
            #expect(frame.subcarrierCount == 192)
            let values = Self.values(frame)
            #expect(values.indices.allSatisfy { active[$0] || (values[$0].re == 0 && values[$0].im == 0) })
            let energetic = values.indices.filter { values[$0].re != 0 || values[$0].im != 0 }
            #expect(energetic.count >= 150, "\(energetic.count) of 166 active positions carry energy")
            let selected = SubcarrierSelection.indices(for: frame)
            #expect(selected.count == 52)
            #expect(selected.allSatisfy { $0 < 64 && active[$0] })
            #expect(selected.filter { values[$0].re != 0 || values[$0].im != 0 }.count >= 48)
        }
    }

    @Test("80 MHz: a Nexmon-style VHT80 frame, 256 complex values, 242 with energy at int16 scale")
    func vht80Frames() throws {
        let format = try FrameFormat(band: .ghz5, bandwidth: .mhz80)
        let active = format.activeBins
        let (_, frames) = Self.frames(SimulationOptions(band: .ghz5, bandwidth: .mhz80))
        #expect(frames.count == 400)
        for frame in frames {
            #expect(frame.bandwidth == .mhz80 && frame.layout == .fft && frame.channel == 42)
            #expect(frame.subcarrierCount == 256)
            guard case .complex(let floats) = frame.payload else {
                Issue.record("80 MHz payload is not complex")
                continue
            }
            #expect(floats.allSatisfy { $0 == $0.rounded() && abs($0) <= 32_767 }, "int16-valued")
            let values = Self.values(frame)
            #expect(values.indices.allSatisfy { active[$0] || (values[$0].re == 0 && values[$0].im == 0) })
            #expect(values.indices.filter { values[$0].re != 0 || values[$0].im != 0 }.count == 242)
            let level = values.map { ($0.re * $0.re + $0.im * $0.im).squareRoot() }.reduce(0, +) / 242
            #expect(level > 500 && level < 1_500, "mean |H| \(level)")
            let selected = SubcarrierSelection.indices(for: frame)
            #expect(selected.count == 224)
            #expect(selected.filter { active[$0] }.count == 222, "all but the ±1 nulls")
        }
    }

    @Test("a noiseless wide frame equals the channel written out directly, on every subcarrier")
    func wideFramesMatchTheModel() throws {
        for (band, bandwidth) in [(RadioBand.ghz5, Bandwidth.mhz80), (.ghz5, .mhz40), (.ghz2_4, .mhz40)] {
            var options = SimulationOptions.noiseless
            options.band = band
            options.bandwidth = bandwidth
            var simulator = CSISimulator(scenario: .walk, seconds: 1, devices: 1, seed: 5, startTime: 0, options: options)
            let format = try options.frameFormat()
            var checked = 0
            while let frame = simulator.next() {
                guard frame.sequence % 23 == 4 else { continue }
                let model = simulator.channelModel(device: 0)
                let expected = DirectModel.expectedValues(model, body: simulator.lastBody(device: 0))
                let values = Self.values(frame)
                var worst = 0.0
                for k in values.indices {
                    worst = max(worst, abs(values[k].re - expected[k].re), abs(values[k].im - expected[k].im))
                }
                #expect(worst <= 1, "\(band.rawValue) GHz \(bandwidth.rawValue) MHz: off by \(worst)")
                #expect(values.count == format.bins)
                checked += 1
            }
            #expect(checked >= 4)
        }
    }
}
