import GatewayCore
import Testing

@Suite struct GatewayCoreTests {
    @Test func deviceIDFromMAC() {
        #expect(DeviceID.mac([0x24, 0x0a, 0xc4, 0x00, 0x01, 0xff]).rawValue == "24:0a:c4:00:01:ff")
    }

    @Test func eventIDsAreStablePerDeviceKindAndStart() {
        let a = SensingEvent(device: "n1", kind: .motion, confidence: 0.9, start: 123, end: nil, modelVersion: "v")
        var b = a
        b.end = 456
        #expect(a.id == "n1/motion/123")
        #expect(a.id == b.id)
    }

    @Test func payloadCountsSubcarriers() {
        #expect(CSIPayload.int8Pairs([Int8](repeating: 0, count: 128)).subcarrierCount == 64)
        #expect(CSIPayload.complex([Float](repeating: 0, count: 512)).subcarrierCount == 256)
    }

    @Test func errorsDescribeThemselvesWithTheirCause() {
        struct Cause: Error, CustomStringConvertible { var description: String { "disk on fire" } }
        let error = GatewayError(.storage, "cannot write x.sqlite", cause: Cause())
        #expect(error.description == "cannot write x.sqlite (disk on fire)")
        #expect(error.code == .storage)
        #expect(error.code != .io)
    }

    @Test func clockIsUnixMicros() {
        let now = unixMicrosNow()
        #expect(now > 1_700_000_000_000_000)
        #expect(now < 4_000_000_000_000_000)
    }
}
