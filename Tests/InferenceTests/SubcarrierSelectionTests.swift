import GatewayCore
import Inference
import Testing

@Suite struct SubcarrierSelectionTests {
    @Test func lltfKeepsTheFiftyTwoDataAndPilotBins() {
        let picked = SubcarrierSelection.indices(layout: .lltf, count: 64, firstWordInvalid: false, invalid: [])
        #expect(picked.count == 52)
        #expect(picked == Array(1...26) + Array(38...63))
    }

    @Test func htLayoutsUseTheirLLTFPart() {
        let picked = SubcarrierSelection.indices(layout: .lltfHTLTF, count: 128, firstWordInvalid: false, invalid: [])
        #expect(picked == Array(1...26) + Array(38...63))
    }

    @Test func invalidBinsAreDropped() {
        let picked = SubcarrierSelection.indices(layout: .lltf, count: 64, firstWordInvalid: true, invalid: [5, 40])
        #expect(!picked.contains(1))
        #expect(!picked.contains(5))
        #expect(!picked.contains(40))
        #expect(picked.count == 49)
    }

    @Test func fullBandDropsDCAndGuards() {
        let picked = SubcarrierSelection.indices(layout: .fft, count: 64, firstWordInvalid: false, invalid: [])
        #expect(picked.count == 56)
        #expect(!picked.contains(0))
        #expect(!picked.contains(32))
    }
}
