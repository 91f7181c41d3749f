import Foundation
import GatewayCore
@testable import Ingest
import Logging
import SensingProto
import Testing

/// GaN PA frames: decoded field by field, and every impossible value rejected with its reason.
@Suite struct PAFrameDecodingTests {
    static func valid() -> PbGanPaFrame {
        var f = PbGanPaFrame()
        f.deviceID = "pa-lobby"
        f.sequence = 7
        f.deviceTimestampUs = 123_456_789_012
        f.centerFrequencyHz = 5.18e9
        f.sampleRateHz = 80e6
        f.sampleCount = 4
        f.iqInt16 = Data([1, 0, 0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F, 2, 0, 3, 0, 4, 0, 5, 0])
        f.iqFullScaleDbm = 46
        f.inputPowerDbm = 5.5
        f.forwardPowerDbm = 33.25
        f.reflectedPowerDbm = 13.25
        f.drainVoltageV = 28.1
        f.drainCurrentA = 0.42
        f.temperatureC = 51.5
        f.gainDb = 27.75
        return f
    }

    func decode(_ frame: PbGanPaFrame) -> EnvelopeDecoder.Output {
        let bytes: [UInt8] = (try? PbEnvelope(ganPa: frame).serializedBytes()) ?? []
        return EnvelopeDecoder().decode(bytes, receivedAt: 99)
    }

    @Test func decodesEveryField() throws {
        let out = decode(Self.valid())
        #expect(out.rejected.isEmpty)
        let frame = try #require(out.paFrames.first)
        #expect(frame.device == "pa-lobby")
        #expect(frame.sequence == 7)
        #expect(frame.deviceTimestamp == 123_456_789_012)
        #expect(frame.timestamp == 99)
        #expect(frame.centerFrequencyHz == 5.18e9 && frame.sampleRateHz == 80e6)
        #expect(frame.iq == [1, -1, -32768, 32767, 2, 3, 4, 5])
        #expect(frame.iqFullScaleDbm == 46 && frame.inputPowerDbm == 5.5)
        #expect(frame.forwardPowerDbm == 33.25 && frame.reflectedPowerDbm == 13.25)
        #expect(frame.drainVoltage == 28.1 && frame.drainCurrent == 0.42 && frame.temperatureC == 51.5)
        #expect(frame.reportedGainDb == 27.75)
        // And back: the wire form round-trips.
        #expect(decode(PbGanPaFrame(frame, receiveTime: 99)).paFrames == [frame])
    }

    @Test func aGainOfZeroMeansNotReported() throws {
        var f = Self.valid()
        f.gainDb = 0
        #expect(try #require(decode(f).paFrames.first).reportedGainDb.isNaN)
    }

    @Test func rejectsImpossibleValuesWithTheirReason() {
        let cases: [(String, (inout PbGanPaFrame) -> Void, String)] = [
            ("pa_sample_count", { $0.sampleCount = 5 }, "sample_count 5"),
            ("pa_sample_count", { $0.sampleCount = 0 }, "sample_count 0"),
            ("pa_sample_count", { $0.iqInt16.append(0) }, "17 bytes"),
            ("pa_non_finite", { $0.forwardPowerDbm = .nan }, "forward_power_dbm"),
            ("pa_non_finite", { $0.centerFrequencyHz = .infinity }, "center_frequency_hz"),
            ("pa_out_of_range", { $0.temperatureC = 900 }, "temperature_c"),
            ("pa_out_of_range", { $0.temperatureC = -80 }, "temperature_c"),
            ("pa_out_of_range", { $0.drainVoltageV = -1 }, "drain_voltage_v"),
            ("pa_out_of_range", { $0.drainCurrentA = -0.1 }, "drain_current_a"),
            ("pa_out_of_range", { $0.sampleRateHz = 0 }, "sample_rate_hz"),
            ("pa_out_of_range", { $0.forwardPowerDbm = 120 }, "forward_power_dbm"),
            ("pa_reflected_above_forward", { $0.reflectedPowerDbm = 36 }, "swapped"),
            ("missing_device_id", { $0.deviceID = "" }, "device_id"),
        ]
        for (label, mutate, mention) in cases {
            var f = Self.valid()
            mutate(&f)
            let out = decode(f)
            #expect(out.paFrames.isEmpty, "\(label)")
            #expect(out.rejected.first?.label == label, "\(mention): got \(out.rejected.first?.label ?? "nothing")")
            #expect(out.rejected.first?.description.contains(mention) == true, "\(out.rejected.first?.description ?? "")")
        }
    }

    @Test func aMixedBatchKeepsBothKinds() {
        var batch = PbFrameBatch()
        var a = PbFrame()
        a.ganPa = Self.valid()
        var b = PbFrame()
        b.csi = TestFrames.csi()
        var c = PbFrame()
        var bad = Self.valid()
        bad.temperatureC = .nan
        c.ganPa = bad
        batch.frames = [a, b, c]
        var envelope = PbEnvelope()
        envelope.schemaVersion = 1
        envelope.batch = batch
        let bytes: [UInt8] = (try? envelope.serializedBytes()) ?? []
        let out = EnvelopeDecoder().decode(bytes, receivedAt: 1)
        #expect(out.paFrames.count == 1 && out.frames.count == 1)
        #expect(out.rejected.map(\.label) == ["pa_non_finite"])
    }

    @Test func intakeQueuesPAFramesWithTheirOwnSequenceNumbers() async {
        let queue = IngestQueue()
        let counters = IngestCounters(source: "test")
        var intake = FrameIntake(queue: queue, counters: counters, maxDevices: 8, logger: Logger(label: "test"))
        // The same node sends CSI and PA frames, each numbered from 0: neither is a duplicate.
        var pa = Self.valid()
        pa.deviceID = "node"
        pa.sequence = 0
        var csi = TestFrames.csi()
        csi.deviceID = "node"
        csi.sequence = 0
        for envelope in [PbEnvelope(ganPa: pa), PbEnvelope(csi: csi), PbEnvelope(ganPa: pa)] {
            let bytes: [UInt8] = (try? envelope.serializedBytes()) ?? []
            intake.admit(EnvelopeDecoder().decode(bytes, receivedAt: 1), now: 1)
        }
        queue.finish()
        var got: [SensorFrame] = []
        while let batch = await queue.next() { got += batch }
        #expect(got.pa.count == 1 && got.csi.count == 1)
        #expect(counters.snapshot.duplicates == 1, "the repeated PA frame")
    }
}
