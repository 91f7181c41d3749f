import GatewayCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Receives `sensing.v1.Envelope` datagrams on a UDP port and feeds valid frames to the queue.
///
/// Bind first with `bind(...)` (so a busy port fails start-up with a clear error), then run it as
/// a service; graceful shutdown closes the socket. Decoding runs on the channel's event loop;
/// the queue never blocks it.
public final class UDPSource: Service, Sendable {
    public let localAddress: SocketAddress
    public let counters: IngestCounters
    private let channel: any Channel
    private let logger: Logger

    private init(channel: any Channel, counters: IngestCounters, logger: Logger) throws {
        guard let address = channel.localAddress else {
            throw GatewayError(.network, "UDP socket has no local address after bind")
        }
        self.channel = channel
        self.localAddress = address
        self.counters = counters
        self.logger = logger
    }

    public var port: Int { localAddress.port ?? 0 }

    /// Binds `host:port` (port 0 picks a free one) and starts delivering into `queue`.
    public static func bind(
        host: String, port: Int, queue: IngestQueue, counters: IngestCounters,
        maxDatagramBytes: Int = 65_507, receiveBufferBytes: Int = 4 << 20, maxDevices: Int = 1024,
        naming: DeviceNames = DeviceNames(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) async throws -> UDPSource {
        let channel = try await DatagramSocket.bind(
            host: host, port: port, receiveBufferBytes: receiveBufferBytes, maxDatagramBytes: maxDatagramBytes, group: group,
            purpose: "UDP", fix: "Choose a free port (udp.port) or stop the process using it"
        ) {
            EnvelopeDatagramHandler(decoder: EnvelopeDecoder(maxBytes: maxDatagramBytes), queue: queue,
                                    counters: counters, maxDevices: maxDevices, naming: naming, logger: logger)
        }
        let source = try UDPSource(channel: channel, counters: counters, logger: logger)
        logger.info("listening for CSI envelopes", metadata: ["udp.address": "\(source.localAddress)"])
        return source
    }

    public func run() async throws {
        await DatagramSocket.runUntilShutdown(channel)
        logger.info("UDP source stopped", metadata: ["udp.address": "\(localAddress)"])
    }

    /// Closes the socket now (tests and replay tooling).
    public func close() async {
        try? await channel.close()
    }
}

/// Decodes each datagram and hands the frames to the source's `FrameIntake`.
final class EnvelopeDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let decoder: EnvelopeDecoder
    private var intake: FrameIntake
    private let logger: Logger

    init(decoder: EnvelopeDecoder, queue: IngestQueue, counters: IngestCounters, maxDevices: Int,
         naming: DeviceNames = DeviceNames(), logger: Logger) {
        self.decoder = decoder
        self.intake = FrameIntake(queue: queue, counters: counters, maxDevices: maxDevices, naming: naming, logger: logger)
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let datagram = unwrapInboundIn(data)
        let now = unixMicrosNow()
        intake.counters.countReceived()
        let output = datagram.data.withUnsafeReadableBytes { decoder.decode($0, receivedAt: now) }
        intake.reject(output.rejected, origin: "from \(datagram.remoteAddress)", now: now,
                      metadata: ["udp.peer": "\(datagram.remoteAddress)"])
        intake.admit(output, now: now)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A UDP socket error (for example ICMP port unreachable) is not fatal to the listener.
        logger.info("UDP socket error: \(error)")
    }
}
