import Foundation
import GatewayCore
import Ingest
import Logging
import ServiceLifecycle
import Testing

/// Live capture through libpcap on the loopback interface.
@Suite(.serialized) struct PcapLiveSourceTests {
    @Test(.enabled(if: PcapLiveTestSupport.canCapture, "live capture needs root or CAP_NET_RAW; run the tests as root"))
    func capturesEnvelopesOnLoopback() async throws {
        let port = PcapLiveTestSupport.freeUDPPort()
        #expect(port > 0)
        let queue = IngestQueue(perDeviceCapacity: 256, maxDevices: 8)
        let counters = IngestCounters(source: "pcap-live-test")
        let source = try PcapLiveSource.open(
            settings: PcapLiveSettings(interface: "lo", filter: "udp port \(port)"),
            queue: queue, counters: counters, logger: Logger(label: "test"))
        let running = Task { try await source.run() }
        // Nobody listens on the port: the capture sees the datagrams anyway.
        var datagrams = (0..<20).map { TestFrames.envelope(TestFrames.csi(sequence: UInt32($0))) }
        datagrams.append(TestFrames.batch([TestFrames.csi(device: "esp32-b", sequence: 0), TestFrames.csi(device: "esp32-b", sequence: 1)]))
        datagrams.append([0xde, 0xad, 0xbe, 0xef])
        PcapLiveTestSupport.send(datagrams, to: port)
        // Traffic on other ports is filtered out.
        PcapLiveTestSupport.send([TestFrames.envelope(TestFrames.csi(device: "other", sequence: 0))], to: port == 65_535 ? port - 1 : port + 1)
        await PcapLiveTestSupport.waitFor { counters.snapshot.accepted >= 22 && counters.snapshot.malformed >= 1 }
        source.stop()
        try await running.value

        let snapshot = counters.snapshot
        #expect(snapshot.accepted == 22)
        #expect(snapshot.malformed == 1)
        queue.finish()
        var frames: [CSIFrame] = []
        while let batch = await queue.next() { frames += batch.csi }
        #expect(frames.filter { $0.device == "esp32-a" }.map(\.sequence) == Array(0..<20))
        #expect(frames.filter { $0.device == "esp32-b" }.map(\.sequence) == [0, 1])
        #expect(!frames.contains { $0.device == "other" })
    }

    /// Real Nexmon payloads sent to port 5500 are decoded as Nexmon CSI and numbered per device.
    /// The filter also names the sender's port so other traffic to 5500 on this host is ignored.
    @Test(.enabled(if: PcapLiveTestSupport.canCapture, "live capture needs root or CAP_NET_RAW; run the tests as root"))
    func decodesNexmonPayloadsSentToPort5500() async throws {
        let payloads = try PcapLiveTestSupport.nexmonPayloads("csikit/nexmon/example_43455c0.pcap")
        let sender = PcapLiveTestSupport.freeUDPPort()
        let queue = IngestQueue(perDeviceCapacity: 1024, maxDevices: 64)
        let counters = IngestCounters(source: "pcap-live-nexmon")
        let source = try PcapLiveSource.open(
            settings: PcapLiveSettings(interface: "lo", filter: "udp dst port 5500 and udp src port \(sender)"),
            queue: queue, counters: counters, logger: Logger(label: "test"))
        let running = Task { try await source.run() }
        var sent = 0
        for burst in stride(from: 0, to: payloads.count, by: 32) {
            let chunk = Array(payloads[burst..<min(burst + 32, payloads.count)])
            PcapLiveTestSupport.send(chunk, to: Int(NexmonDecoder.port), from: sender)
            sent += chunk.count
            await PcapLiveTestSupport.waitFor(seconds: 3) { counters.snapshot.received >= sent }
        }
        await PcapLiveTestSupport.waitFor { counters.snapshot.received >= payloads.count }
        source.stop()
        try await running.value
        // A live capture on a loaded machine may miss a packet or two (the kernel drops when
        // the capture falls behind); everything captured must decode and nothing else may come in.
        let accepted = counters.snapshot.accepted
        #expect(accepted >= payloads.count * 98 / 100 && accepted <= payloads.count, "captured \(accepted) of \(payloads.count)")
        #expect(counters.snapshot.malformed == 0)
        queue.finish()
        var frames: [CSIFrame] = []
        while let batch = await queue.next() { frames += batch.csi }
        #expect(frames.count == accepted)
        for device in Set(frames.map(\.device)) {
            let sequences = frames.filter { $0.device == device }.map(\.sequence)
            #expect(sequences == Array(0..<UInt32(sequences.count)), "device \(device)")
        }
    }

    @Test(.enabled(if: PcapLiveTestSupport.canCapture, "live capture needs root or CAP_NET_RAW; run the tests as root"))
    func gracefulShutdownStopsTheCaptureThread() async throws {
        let source = try PcapLiveSource.open(
            settings: PcapLiveSettings(interface: "lo", filter: "udp port \(PcapLiveTestSupport.freeUDPPort())"),
            queue: IngestQueue(), counters: IngestCounters(source: "pcap-live-stop"), logger: Logger(label: "test"))
        let group = ServiceGroup(services: [source], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        try await Task.sleep(for: .milliseconds(200))
        let stopped = Date()
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(Date().timeIntervalSince(stopped) < 2)
    }

    @Test(.enabled(if: PcapLiveTestSupport.canCapture, "live capture needs root or CAP_NET_RAW; run the tests as root"))
    func stoppedBeforeRunReturnsAndRunningTwiceFails() async throws {
        let stopped = try PcapLiveSource.open(
            settings: PcapLiveSettings(interface: "lo"), queue: IngestQueue(), counters: IngestCounters(source: "a"),
            logger: Logger(label: "test"))
        stopped.stop()
        try await stopped.run()

        let source = try PcapLiveSource.open(
            settings: PcapLiveSettings(interface: "lo"), queue: IngestQueue(), counters: IngestCounters(source: "b"),
            logger: Logger(label: "test"))
        let running = Task { try await source.run() }
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: GatewayError.self) { try await source.run() }
        source.stop()
        try await running.value
    }

    @Test(.enabled(if: PcapLiveTestSupport.canCapture, "live capture needs root or CAP_NET_RAW; run the tests as root"))
    func badFilterFailsWithAClearError() throws {
        let error = #expect(throws: GatewayError.self) {
            _ = try PcapLiveSource.open(
                settings: PcapLiveSettings(interface: "lo", filter: "udp prot 5500"),
                queue: IngestQueue(), counters: IngestCounters(source: "p"), logger: Logger(label: "test"))
        }
        #expect(error?.message.contains("udp prot 5500") == true)
        #expect(error?.message.contains("lo") == true)
        #expect(error?.message.contains("pcap.filter") == true)
    }

    @Test func nonexistentInterfaceFailsWithAClearError() throws {
        let error = #expect(throws: GatewayError.self) {
            _ = try PcapLiveSource.open(
                settings: PcapLiveSettings(interface: "nosuchif0"),
                queue: IngestQueue(), counters: IngestCounters(source: "p"), logger: Logger(label: "test"))
        }
        #expect(error?.message.contains("nosuchif0") == true)
        if PcapLiveTestSupport.canCapture {
            #expect(error?.message.contains("no such interface") == true)
            #expect(error?.message.contains("ip link") == true)
        } else {
            // Without permission libpcap may report the missing permission first.
            #expect(error?.message.contains("no such interface") == true || error?.message.contains("CAP_NET_RAW") == true)
        }
    }

    @Test func probeNamesTheFixWhenCaptureIsNotPossible() {
        if let error = PcapLiveSource.probe(interface: "lo") {
            #expect(error.message.contains("lo"))
            #expect(error.message.contains("CAP_NET_RAW") || error.message.contains("interface"))
        } else {
            #expect(PcapLiveTestSupport.canCapture)
        }
    }
}
