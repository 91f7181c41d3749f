import GatewayCore
import Simulation
import Testing

/// The default options reproduce, bit for bit, what the simulator produced before band,
/// bandwidth, AGC steps and packet loss existed (digests taken on that code), so seeds in tests,
/// evaluations and saved captures keep their meaning.
@Suite("Default output is unchanged")
struct DefaultOutputTests {
    @Test("first 200 frames of seed 1, walk, one device")
    func walkSeed1() {
        let frames = CSISimulator(scenario: .walk, seconds: 10, seed: 1, startTime: 1_767_225_600_000_000).prefix(200)
        let digest = FrameDigest.of(frames)
        #expect(digest == 12_546_649_548_816_711_054)
    }

    @Test("fall, three devices, 50 frames/s, default and noiseless options")
    func fallThreeDevices() {
        let noisy = FrameDigest.of(CSISimulator(scenario: .fall, seconds: 20, rate: 50, devices: 3, seed: 7, startTime: 0))
        let bare = FrameDigest.of(CSISimulator(scenario: .fall, seconds: 20, rate: 50, devices: 3, seed: 7, startTime: 0, options: .noiseless))
        #expect(noisy == 5_325_834_802_296_462_992)
        #expect(bare == 6_542_827_370_140_083_385)
    }
}
