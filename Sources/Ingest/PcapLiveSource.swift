import CPcap
import Foundation
import GatewayCore
import Logging
import ServiceLifecycle

/// Where and what `PcapLiveSource` captures.
public struct PcapLiveSettings: Sendable, Equatable {
    /// Network interface to capture on ("wlan0", "eth0", "lo").
    public var interface: String
    /// BPF filter (pcap-filter(7) syntax); only matching packets reach the gateway.
    public var filter: String
    public var snapLength: Int32
    /// How long libpcap waits for packets before `pcap_next_ex` returns (and the capture
    /// thread checks for shutdown).
    public var timeoutMilliseconds: Int32
    /// Kernel capture buffer.
    public var bufferBytes: Int32
    /// How this source renames the devices it captures.
    public var naming = DeviceNames()

    public static let defaultFilter = "udp port \(NexmonDecoder.port)"

    public init(
        interface: String, filter: String = PcapLiveSettings.defaultFilter, snapLength: Int32 = 65_535,
        timeoutMilliseconds: Int32 = 100, bufferBytes: Int32 = 4 << 20
    ) {
        self.interface = interface
        self.filter = filter
        self.snapLength = snapLength
        self.timeoutMilliseconds = timeoutMilliseconds
        self.bufferBytes = bufferBytes
    }
}

/// Captures UDP packets live on a network interface with libpcap and feeds their frames to the
/// queue: payloads to or from port 5500 are decoded as Nexmon CSI (renumbered per device in
/// arrival order, stamped with the capture time), any other UDP payload as a
/// `sensing.v1.Envelope`. Non-UDP packets the filter lets through are skipped.
///
/// `open(...)` activates the capture and installs the filter, so a missing interface, missing
/// permission or bad filter fails start-up with a clear error; packets are buffered by the
/// kernel from then on. `run()` reads with `pcap_next_ex` on a dedicated thread (never the Swift
/// cooperative pool) until graceful shutdown or cancellation, then closes the capture.
public final class PcapLiveSource: Service, Sendable {
    public let settings: PcapLiveSettings
    public let counters: IngestCounters
    /// The capture's link-layer type (`pcap_datalink`).
    public let linkType: Int32
    private let capture: PcapLiveHandle
    private let context: PcapLiveContext
    private let logger: Logger

    private init(settings: PcapLiveSettings, capture: PcapLiveHandle, context: PcapLiveContext, counters: IngestCounters, logger: Logger) {
        self.settings = settings
        self.capture = capture
        self.context = context
        self.counters = counters
        self.logger = logger
        self.linkType = context.linkType
    }

    /// Opens and activates the capture on `settings.interface` with `settings.filter`.
    public static func open(
        settings: PcapLiveSettings, queue: IngestQueue, counters: IngestCounters,
        decoder: NexmonDecoder = NexmonDecoder(), maxDevices: Int = 1024, logger: Logger
    ) throws -> PcapLiveSource {
        let pointer = try activate(settings, logger: logger)
        let handle = PcapLiveHandle(pointer)
        do {
            try install(filter: settings.filter, on: pointer, interface: settings.interface)
        } catch {
            handle.close()
            throw error
        }
        let context = PcapLiveContext(
            settings: settings, linkType: pcap_datalink(pointer), decoder: decoder,
            sink: LiveFrameSink(queue: queue, counters: counters, maxDevices: maxDevices, naming: settings.naming, logger: logger))
        logger.info("capturing CSI live", metadata: [
            "pcap.interface": "\(settings.interface)", "pcap.filter": "\(settings.filter)",
            "pcap.link_type": "\(context.linkType)",
        ])
        return PcapLiveSource(settings: settings, capture: handle, context: context, counters: counters, logger: logger)
    }

    /// Nil when a capture on `interface` can be activated now, else the error `open` would give
    /// (for readiness checks and tests that need capture permission).
    public static func probe(interface: String) -> GatewayError? {
        do {
            let pointer = try activate(PcapLiveSettings(interface: interface), logger: nil)
            pcap_close(pointer)
            return nil
        } catch let error as GatewayError {
            return error
        } catch {
            return GatewayError(.network, "cannot capture on \(interface): \(error)")
        }
    }

    /// Captured packets that were not UDP over IP and were skipped.
    public var skippedPackets: Int { context.skipped }

    public func run() async throws {
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await readOnOwnThread()
            } onGracefulShutdown: {
                self.capture.stop()
            }
        } onCancel: {
            self.capture.stop()
        }
        logger.info("live capture stopped", metadata: [
            "pcap.interface": "\(settings.interface)", "pcap.skipped_packets": "\(context.skipped)",
        ])
    }

    /// Stops the capture (tests and tooling); `run()` returns once the thread has closed it.
    public func stop() {
        capture.stop()
    }

    private func readOnOwnThread() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let pointer: OpaquePointer
            switch capture.start() {
            case .ready(let ready):
                pointer = ready
            case .stopped:
                // Shut down before it started: nothing to read.
                capture.close()
                continuation.resume()
                return
            case .alreadyStarted:
                continuation.resume(throwing: GatewayError(
                    .network, "live capture on \(settings.interface) was already run; open a new PcapLiveSource"))
                return
            }
            let handle = PcapPointer(value: pointer)
            let thread = Thread { [capture, context] in
                let result = context.readLoop(handle.value, capture: capture)
                capture.close()
                continuation.resume(with: result)
            }
            thread.name = "pcap-\(settings.interface)"
            thread.start()
        }
    }

    // MARK: libpcap set-up

    private static func message(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `pcap_create` + options + `pcap_activate`; returns the active handle or throws a
    /// `GatewayError` naming the interface and the fix.
    private static func activate(_ settings: PcapLiveSettings, logger: Logger?) throws -> OpaquePointer {
        let interface = settings.interface
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let pointer = pcap_create(interface, &errorBuffer) else {
            throw GatewayError(.network, "cannot capture on interface \(interface): \(message(errorBuffer))")
        }
        pcap_set_snaplen(pointer, settings.snapLength)
        pcap_set_promisc(pointer, 0)
        pcap_set_immediate_mode(pointer, 1)
        pcap_set_timeout(pointer, settings.timeoutMilliseconds)
        pcap_set_buffer_size(pointer, settings.bufferBytes)
        let status = pcap_activate(pointer)
        if status == 0 { return pointer }
        let detail = String(cString: pcap_geterr(pointer))
        let statusText = String(cString: pcap_statustostr(status))
        if status > 0 {
            // A warning: the capture works.
            logger?.info("live capture on \(interface): \(statusText): \(detail)")
            return pointer
        }
        pcap_close(pointer)
        let explanation: String
        switch status {
        case PCAP_ERROR_NO_SUCH_DEVICE:
            explanation = "no such interface \"\(interface)\" (\(detail)); set pcap.interface to one listed by `ip link`"
        case PCAP_ERROR_PERM_DENIED, PCAP_ERROR_PROMISC_PERM_DENIED:
            explanation = "permission denied (\(detail)); live capture needs root or CAP_NET_RAW: run as root or `setcap cap_net_raw=eip` on the gateway binary (the systemd unit in Deploy/systemd grants it)"
        case PCAP_ERROR_IFACE_NOT_UP:
            explanation = "interface \"\(interface)\" is down (\(detail)); bring it up with `ip link set \(interface) up`"
        case PCAP_ERROR_RFMON_NOTSUP:
            explanation = "monitor mode not supported (\(detail))"
        default:
            explanation = "\(statusText) (\(detail))"
        }
        throw GatewayError(.network, "cannot capture on interface \(interface): \(explanation)")
    }

    private static func install(filter: String, on pointer: OpaquePointer, interface: String) throws {
        var program = bpf_program()
        guard pcap_compile(pointer, &program, filter, 1, UInt32(PCAP_NETMASK_UNKNOWN)) == 0 else {
            let detail = String(cString: pcap_geterr(pointer))
            throw GatewayError(
                .invalidConfig,
                "invalid capture filter \"\(filter)\" for interface \(interface): \(detail); fix pcap.filter (pcap-filter(7) syntax, for example \"\(PcapLiveSettings.defaultFilter)\")")
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(pointer, &program) == 0 else {
            let detail = String(cString: pcap_geterr(pointer))
            throw GatewayError(
                .network, "cannot install capture filter \"\(filter)\" on interface \(interface): \(detail)")
        }
    }
}

/// A `pcap_t` handed to the capture thread, which is then its only reader.
struct PcapPointer: @unchecked Sendable {
    let value: OpaquePointer
}

/// Owns the `pcap_t`: started at most once, `pcap_breakloop` from any thread, closed exactly once.
final class PcapLiveHandle: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`. `pcap_next_ex` runs on the capture thread without it; only that
    // thread closes the handle once the loop has ended (or `close` when it never started).
    private var pointer: OpaquePointer?
    private var started = false
    private var stopping = false

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    enum Start {
        case ready(OpaquePointer)
        case stopped
        case alreadyStarted
    }

    /// The handle for the capture thread, unless it was already started, stopped or closed.
    func start() -> Start {
        lock.withLock {
            if started { return .alreadyStarted }
            guard !stopping, let pointer else { return .stopped }
            started = true
            return .ready(pointer)
        }
    }

    var isStopping: Bool { lock.withLock { stopping } }

    func stop() {
        lock.withLock {
            stopping = true
            if let pointer { pcap_breakloop(pointer) }
        }
    }

    func close() {
        lock.withLock {
            if let pointer { pcap_close(pointer) }
            pointer = nil
        }
    }

    deinit {
        if let pointer { pcap_close(pointer) }
    }
}

/// State used only by the capture thread (the sink), plus counters read from anywhere.
final class PcapLiveContext: @unchecked Sendable {
    let settings: PcapLiveSettings
    let linkType: Int32
    private let decoder: NexmonDecoder
    private let envelopes = EnvelopeDecoder()
    // Mutated only on the capture thread.
    private var sink: LiveFrameSink
    private let skippedCount = NSLock()
    private var skippedValue = 0

    init(settings: PcapLiveSettings, linkType: Int32, decoder: NexmonDecoder, sink: LiveFrameSink) {
        self.settings = settings
        self.linkType = linkType
        self.decoder = decoder
        self.sink = sink
    }

    var skipped: Int { skippedCount.withLock { skippedValue } }

    /// Reads until stopped; runs on the capture thread.
    func readLoop(_ pointer: OpaquePointer, capture: PcapLiveHandle) -> Result<Void, any Error> {
        while !capture.isStopping {
            var header: UnsafeMutablePointer<pcap_pkthdr>?
            var data: UnsafePointer<UInt8>?
            let status = pcap_next_ex(pointer, &header, &data)
            switch status {
            case 1:
                guard let header, let data else { continue }
                let record = header.pointee
                let timestamp = Int64(record.ts.tv_sec) * 1_000_000 + Int64(record.ts.tv_usec)
                handle(UnsafeRawBufferPointer(start: data, count: Int(record.caplen)), timestamp: timestamp)
            case 0:
                continue  // timeout: check for shutdown
            case PCAP_ERROR_BREAK:
                return .success(())
            default:
                if capture.isStopping { return .success(()) }
                let detail = String(cString: pcap_geterr(pointer))
                return .failure(GatewayError(
                    .network,
                    "live capture on interface \(settings.interface) failed: \(detail); check that the interface still exists and is up"))
            }
        }
        return .success(())
    }

    /// One captured packet; `bytes` is libpcap's buffer, valid until the next read.
    private func handle(_ bytes: UnsafeRawBufferPointer, timestamp: Int64) {
        let datagram: PcapUDPDatagram
        do {
            guard let found = try PcapUDP.datagram(linkType: linkType, bytes: bytes) else {
                skippedCount.withLock { skippedValue += 1 }
                return
            }
            datagram = found
        } catch {
            sink.counters.countReceived()
            sink.reject([.malformedRecord(location: "packet", detail: error.detail)], origin: "captured on \(settings.interface)",
                        now: timestamp, metadata: ["pcap.interface": "\(settings.interface)"])
            return
        }
        sink.counters.countReceived()
        let payload = UnsafeRawBufferPointer(rebasing: bytes[datagram.payload])
        if datagram.destinationPort == NexmonDecoder.port || datagram.sourcePort == NexmonDecoder.port {
            let decoded = sink.decodeNexmon(payload, decoder: decoder, timestamp: timestamp)
            switch decoded {
            case .success(let frame):
                sink.deliver([frame], now: timestamp)
            case .failure(let failure):
                sink.reject([.malformedRecord(location: "Nexmon CSI packet", detail: failure.detail)],
                            origin: "captured on \(settings.interface)", now: timestamp,
                            metadata: ["pcap.interface": "\(settings.interface)"])
            }
            return
        }
        let output = envelopes.decode(payload, receivedAt: timestamp)
        sink.reject(output.rejected,
                    origin: "captured on \(settings.interface) (UDP port \(datagram.sourcePort) -> \(datagram.destinationPort))",
                    now: timestamp, metadata: ["pcap.interface": "\(settings.interface)"])
        sink.deliver(output, now: timestamp)
    }
}
