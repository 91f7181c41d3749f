#if canImport(Glibc)
import Glibc
#endif
import GatewayCore
import Ingest
import Logging
import SensingProto
import Testing

/// The UDP path through a real socket on 127.0.0.1.
@Suite struct UDPSourceTests {
    func send(_ datagrams: [[UInt8]], to port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        for bytes in datagrams {
            _ = bytes.withUnsafeBytes { buffer in
                withUnsafePointer(to: &addr) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
    }

    func waitFor(_ condition: () -> Bool) async {
        for _ in 0..<200 where !condition() {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func receivesValidatesAndQueuesFrames() async throws {
        let queue = IngestQueue(perDeviceCapacity: 100, maxDevices: 8)
        let counters = IngestCounters(source: "udp-test")
        let source = try await UDPSource.bind(host: "127.0.0.1", port: 0, queue: queue, counters: counters,
                                              logger: Logger(label: "test"))
        #expect(source.port > 0)
        var datagrams: [[UInt8]] = []
        datagrams.append(TestFrames.envelope(TestFrames.csi(sequence: 0)))
        datagrams.append(TestFrames.batch([TestFrames.csi(sequence: 1), TestFrames.csi(sequence: 2)]))
        datagrams.append([0xde, 0xad, 0xbe, 0xef])                                    // malformed
        datagrams.append(TestFrames.envelope(TestFrames.csi(sequence: 2)))           // duplicate
        datagrams.append(TestFrames.envelope(TestFrames.csi(sequence: 6)))           // 3 lost
        datagrams.append(TestFrames.envelope(TestFrames.csi(device: "esp32-b", sequence: 0)))
        send(datagrams, to: source.port)
        await waitFor { counters.snapshot.received >= 6 }
        let snapshot = counters.snapshot
        #expect(snapshot.received == 6)
        #expect(snapshot.accepted == 5)
        #expect(snapshot.malformed == 1)
        #expect(snapshot.duplicates == 1)
        #expect(snapshot.lost == 3)
        queue.finish()
        var frames: [CSIFrame] = []
        while let batch = await queue.next() { frames += batch.csi }
        #expect(frames.filter { $0.device == "esp32-a" }.map(\.sequence) == [0, 1, 2, 6])
        #expect(frames.filter { $0.device == "esp32-b" }.count == 1)
        #expect(frames.allSatisfy { $0.timestamp > 1_700_000_000_000_000 })
        await source.close()
    }

    @Test func countsOverloadDropsInsteadOfGrowing() async throws {
        let queue = IngestQueue(perDeviceCapacity: 10, maxDevices: 8)
        let counters = IngestCounters(source: "udp-overload")
        let source = try await UDPSource.bind(host: "127.0.0.1", port: 0, queue: queue, counters: counters,
                                              logger: Logger(label: "test"))
        let datagrams = (0..<200).map { TestFrames.envelope(TestFrames.csi(sequence: UInt32($0))) }
        send(datagrams, to: source.port)
        await waitFor { counters.snapshot.received >= 200 }
        let snapshot = counters.snapshot
        #expect(queue.depth == 10)
        #expect(snapshot.accepted == 10)
        #expect(snapshot.dropped == snapshot.received - 10)
        await source.close()
    }

    @Test func unbindableAddressFailsWithAClearError() async throws {
        // An address this host does not own (TEST-NET-1) cannot be bound; nothing is sent to it.
        let error = await #expect(throws: GatewayError.self) {
            _ = try await UDPSource.bind(host: "192.0.2.1", port: 5566, queue: IngestQueue(),
                                         counters: IngestCounters(source: "b"), logger: Logger(label: "test"))
        }
        #expect(error?.message.contains("192.0.2.1:5566") == true)
        #expect(error?.message.contains("udp.port") == true)
    }
}
