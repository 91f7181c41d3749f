import GatewayCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Receives Nexmon CSI datagrams (the UDP payloads the Nexmon firmware sends, port 5500 by
/// default) and feeds the decoded frames to the queue.
///
/// Each datagram is one Nexmon payload, decoded with `NexmonDecoder` and stamped with its
/// receive time (Unix µs). The radio's 802.11 sequence numbers repeat, so frames are numbered
/// per device in arrival order before `FrameValidator` sees them. Bind first with `bind(...)`
/// (a busy port fails start-up with a clear error), then run it as a service; graceful
/// shutdown closes the socket.
public final class NexmonUDPSource: Service, Sendable {
    public let localAddress: SocketAddress
    public let counters: IngestCounters
    private let channel: any Channel
    private let logger: Logger

    private init(channel: any Channel, counters: IngestCounters, logger: Logger) throws {
        guard let address = channel.localAddress else {
            throw GatewayError(.network, "Nexmon UDP socket has no local address after bind")
        }
        self.channel = channel
        self.localAddress = address
        self.counters = counters
        self.logger = logger
    }

    public var port: Int { localAddress.port ?? 0 }

    /// Binds `host:port` (port 0 picks a free one) and starts delivering into `queue`.
    public static func bind(
        host: String = "0.0.0.0", port: Int = Int(NexmonDecoder.port), queue: IngestQueue, counters: IngestCounters,
        decoder: NexmonDecoder = NexmonDecoder(), receiveBufferBytes: Int = 4 << 20, maxDevices: Int = 1024,
        naming: DeviceNames = DeviceNames(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) async throws -> NexmonUDPSource {
        let channel = try await DatagramSocket.bind(
            host: host, port: port, receiveBufferBytes: receiveBufferBytes, maxDatagramBytes: 65_535, group: group,
            purpose: "Nexmon CSI UDP",
            fix: "Choose a free port or stop the process using it (another nexmon listener, or a packet capture tool bound to it)"
        ) {
            NexmonDatagramHandler(
                decoder: decoder,
                sink: LiveFrameSink(queue: queue, counters: counters, maxDevices: maxDevices, naming: naming, logger: logger),
                logger: logger)
        }
        let source = try NexmonUDPSource(channel: channel, counters: counters, logger: logger)
        logger.info("listening for Nexmon CSI", metadata: ["udp.address": "\(source.localAddress)"])
        return source
    }

    public func run() async throws {
        await DatagramSocket.runUntilShutdown(channel)
        logger.info("Nexmon UDP source stopped", metadata: ["udp.address": "\(localAddress)"])
    }

    /// Closes the socket now (tests and tooling).
    public func close() async {
        try? await channel.close()
    }
}

/// Decodes each datagram as a Nexmon payload, renumbers, validates and queues the frame.
final class NexmonDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let decoder: NexmonDecoder
    private var sink: LiveFrameSink
    private let logger: Logger

    init(decoder: NexmonDecoder, sink: LiveFrameSink, logger: Logger) {
        self.decoder = decoder
        self.sink = sink
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let datagram = unwrapInboundIn(data)
        let now = unixMicrosNow()
        sink.counters.countReceived()
        let decoded = datagram.data.withUnsafeReadableBytes { bytes in
            sink.decodeNexmon(bytes, decoder: decoder, timestamp: now)
        }
        switch decoded {
        case .success(let frame):
            sink.deliver([frame], now: now)
        case .failure(let failure):
            sink.reject([.malformedRecord(location: "Nexmon CSI datagram", detail: failure.detail)],
                        origin: "from \(datagram.remoteAddress)", now: now, metadata: ["udp.peer": "\(datagram.remoteAddress)"])
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A UDP socket error (for example ICMP port unreachable) is not fatal to the listener.
        logger.info("Nexmon UDP socket error: \(error)")
    }
}
