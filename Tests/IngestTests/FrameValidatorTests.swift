import GatewayCore
import Ingest
import Testing

@Suite struct FrameValidatorTests {
    @Test func countsGapsAndDuplicates() {
        var v = FrameValidator()
        #expect(v.check(device: "a", sequence: 10) == .accept(lost: 0))
        #expect(v.check(device: "a", sequence: 11) == .accept(lost: 0))
        #expect(v.check(device: "a", sequence: 15) == .accept(lost: 3))
        #expect(v.check(device: "a", sequence: 15) == .duplicate)
        #expect(v.check(device: "a", sequence: 12) == .duplicate)
        #expect(v.check(device: "b", sequence: 12) == .accept(lost: 0))
    }

    @Test func wrapsAroundAtTwoToThe32() {
        var v = FrameValidator()
        #expect(v.check(device: "a", sequence: .max - 1) == .accept(lost: 0))
        #expect(v.check(device: "a", sequence: .max) == .accept(lost: 0))
        #expect(v.check(device: "a", sequence: 1) == .accept(lost: 1))
    }

    @Test func largeJumpsAreRestarts() {
        var v = FrameValidator()
        #expect(v.check(device: "a", sequence: 5_000_000) == .accept(lost: 0))
        #expect(v.check(device: "a", sequence: 0) == .restart)
        #expect(v.check(device: "a", sequence: 1) == .accept(lost: 0))
    }

    @Test func deviceTableIsBounded() {
        var v = FrameValidator(maxDevices: 2)
        #expect(v.check(device: "a", sequence: 0) == .accept(lost: 0))
        #expect(v.check(device: "b", sequence: 0) == .accept(lost: 0))
        #expect(v.check(device: "c", sequence: 0) == .tooManyDevices)
        #expect(v.deviceCount == 2)
    }
}
