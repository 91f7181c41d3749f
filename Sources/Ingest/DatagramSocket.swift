import GatewayCore
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The UDP socket handling the datagram sources share (`UDPSource`, `NexmonUDPSource`): bind
/// with a large receive buffer and one handler per socket, and close on graceful shutdown.
enum DatagramSocket {
    /// Binds `host:port` (port 0 picks a free one). `purpose` and `fix` complete the error a
    /// failed bind gives ("cannot bind <purpose> host:port: <error>. <fix>").
    static func bind<Handler: ChannelInboundHandler>(
        host: String, port: Int, receiveBufferBytes: Int, maxDatagramBytes: Int, group: any EventLoopGroup,
        purpose: String, fix: String, makeHandler: @escaping @Sendable () -> Handler
    ) async throws -> any Channel {
        let bootstrap = DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBufferBytes))
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: maxDatagramBytes + 1))
            .channelOption(.maxMessagesPerRead, value: 32)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(makeHandler())
                }
            }
        do {
            return try await bootstrap.bind(host: host, port: port).get()
        } catch {
            throw GatewayError(.network, "cannot bind \(purpose) \(host):\(port): \(error). \(fix)", cause: error)
        }
    }

    /// Waits until the socket closes; graceful shutdown closes it.
    static func runUntilShutdown(_ channel: any Channel) async {
        await withGracefulShutdownHandler {
            try? await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}
