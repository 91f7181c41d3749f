import Foundation
import GatewayCore
import Ingest
import Logging
import Testing

/// The Nexmon UDP listener through a real socket on 127.0.0.1, fed the payloads of a real capture.
@Suite struct NexmonUDPSourceTests {
    @Test func deliversEveryFrameOfARealCaptureAndCountsGarbage() async throws {
        let payloads = try PcapLiveTestSupport.nexmonPayloads("csikit/nexmon/example_43455c0.pcap")
        #expect(payloads.count == 566)
        let queue = IngestQueue(perDeviceCapacity: 1024, maxDevices: 64)
        let counters = IngestCounters(source: "nexmon-udp-test")
        let source = try await NexmonUDPSource.bind(
            host: "127.0.0.1", port: 0, queue: queue, counters: counters, logger: Logger(label: "test"))
        #expect(source.port > 0)
        let start = unixMicrosNow()
        // Small bursts, waiting for each, so the socket buffer never overflows.
        var sent = 0
        for burst in stride(from: 0, to: payloads.count, by: 32) {
            let chunk = Array(payloads[burst..<min(burst + 32, payloads.count)])
            PcapLiveTestSupport.send(chunk, to: source.port)
            sent += chunk.count
            await PcapLiveTestSupport.waitFor { counters.snapshot.received >= sent }
        }
        let garbage: [[UInt8]] = [[0xde, 0xad, 0xbe, 0xef], [UInt8](repeating: 0x11, count: 30), Array(payloads[0].prefix(100))]
        PcapLiveTestSupport.send(garbage, to: source.port)
        await PcapLiveTestSupport.waitFor { counters.snapshot.received >= sent + garbage.count }
        await source.close()

        let snapshot = counters.snapshot
        #expect(snapshot.received == 566 + garbage.count)
        #expect(snapshot.accepted == 566)
        #expect(snapshot.malformed == garbage.count)
        #expect(snapshot.duplicates == 0)
        #expect(snapshot.lost == 0)
        queue.finish()
        var frames: [CSIFrame] = []
        while let batch = await queue.next() { frames += batch.csi }
        #expect(frames.count == 566)
        // Numbered per device in arrival order, stamped with the receive time.
        for device in Set(frames.map(\.device)) {
            let sequences = frames.filter { $0.device == device }.map(\.sequence)
            #expect(sequences == Array(0..<UInt32(sequences.count)), "device \(device)")
        }
        #expect(frames.allSatisfy { $0.timestamp >= start && $0.timestamp <= unixMicrosNow() })
        #expect(frames.allSatisfy { $0.bandwidth == .mhz80 && $0.channel == 42 })
    }

    /// The source's own naming: one MAC renamed, every other id prefixed.
    @Test func renamesDevicesAsConfigured() async throws {
        let payloads = Array(try PcapLiveTestSupport.nexmonPayloads("csikit/nexmon/example_43455c0.pcap").prefix(40))
        let queue = IngestQueue(perDeviceCapacity: 1024, maxDevices: 64)
        let counters = IngestCounters(source: "nexmon-naming-test")
        // The capture's devices, as the decoder names them.
        var streams = NexmonStreams()
        let original = try Set(payloads.map { payload in
            try payload.withUnsafeBytes { try NexmonDecoder().decode($0, timestamp: 0, streams: &streams).device }
        })
        let renamed = try #require(original.sorted().first)
        let naming = DeviceNames(names: [renamed.rawValue: "kitchen"], prefix: "lab/")
        let source = try await NexmonUDPSource.bind(
            host: "127.0.0.1", port: 0, queue: queue, counters: counters, naming: naming, logger: Logger(label: "test"))
        PcapLiveTestSupport.send(payloads, to: source.port)
        await PcapLiveTestSupport.waitFor { counters.snapshot.received >= payloads.count }
        await source.close()
        queue.finish()
        var devices: Set<DeviceID> = []
        while let batch = await queue.next() { devices.formUnion(batch.map(\.device)) }
        let expected = Set(original.map { $0 == renamed ? "kitchen" : DeviceID("lab/" + $0.rawValue) })
        #expect(devices == expected)
        #expect(counters.snapshot.accepted == payloads.count)
    }

    @Test func unbindableAddressFailsWithAClearError() async throws {
        let error = await #expect(throws: GatewayError.self) {
            _ = try await NexmonUDPSource.bind(
                host: "192.0.2.1", port: 5500, queue: IngestQueue(), counters: IngestCounters(source: "n"),
                logger: Logger(label: "test"))
        }
        #expect(error?.message.contains("192.0.2.1:5500") == true)
    }
}
