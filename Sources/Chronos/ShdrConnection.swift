import GatewayCore
import NIOCore
import NIOPosix

/// One TCP session with an SHDR adapter: connect, `* PING`, read lines until the peer closes,
/// the heartbeat rule (`ShdrHeartbeat`) declares it dead, or the task is cancelled.
/// Shared by `ShdrAdapterDriver` (which reconnects) and `gateway shdr tail` (which does not).
public enum ShdrConnection {
    public enum End: Sendable, Equatable {
        /// The adapter closed the connection (or it reset).
        case closedByPeer
        /// Nothing arrived within the heartbeat limit.
        case heartbeatTimeout(silenceMillis: Int, limitMillis: Int)
        case cancelled
    }

    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var connectTimeoutMillis: Int
        public var fallbackTimeoutMillis: Int
        public var maxLineBytes: Int

        public init(host: String, port: Int, connectTimeoutMillis: Int = 5000, fallbackTimeoutMillis: Int = 60_000, maxLineBytes: Int = 64 * 1024) {
            self.host = host
            self.port = port
            self.connectTimeoutMillis = connectTimeoutMillis
            self.fallbackTimeoutMillis = fallbackTimeoutMillis
            self.maxLineBytes = maxLineBytes
        }
    }

    /// Connects (throwing a `GatewayError` that names the address when it cannot), then calls
    /// `onConnected`, `onLine` for every parsed line (with its raw text) and `onBatch` after each
    /// chunk read from the socket, so callers can deliver samples in batches.
    public static func run(
        _ options: Options,
        parser: ShdrLineParser,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onConnected: () -> Void = {},
        onLine: (ShdrLine, Substring) -> Void,
        onBatch: () async -> Void = {}
    ) async throws -> End {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.milliseconds(Int64(options.connectTimeoutMillis)))
                .channelOption(.socketOption(.so_keepalive), value: 1)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: options.host, port: options.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            if Task.isCancelled { return .cancelled }
            throw GatewayError(.network, "cannot connect to the SHDR adapter at \(options.host):\(options.port): \(error); check that the adapter runs and listens there (MTConnect adapters use port 7878)", cause: error)
        }
        onConnected()
        let heartbeat = ShdrHeartbeat(fallbackMillis: options.fallbackTimeoutMillis)
        let raw = channel.channel
        return try await withTaskCancellationHandler {
            try await session(channel, options: options, parser: parser, heartbeat: heartbeat, onLine: onLine, onBatch: onBatch)
        } onCancel: {
            raw.close(promise: nil)
        }
    }

    private static func session(
        _ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, options: Options, parser: ShdrLineParser, heartbeat: ShdrHeartbeat,
        onLine: (ShdrLine, Substring) -> Void, onBatch: () async -> Void
    ) async throws -> End {
        let raw = channel.channel
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "* PING\n"))
            return try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    // The watchdog: PINGs on the adapter's schedule, closes the channel when silent too long.
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat.tick)
                        switch heartbeat.check() {
                        case .wait: continue
                        case .ping: try? await outbound.write(ByteBuffer(string: "* PING\n"))
                        case .dead:
                            try? await raw.close()
                            return
                        }
                    }
                }
                var framer = LineFramer(terminator: [0x0A], maxLineBytes: options.maxLineBytes)
                var assetEnd: String?
                do {
                    for try await buffer in inbound {
                        heartbeat.received()
                        let now = unixMicrosNow()
                        buffer.withUnsafeReadableBytes { bytes in
                            framer.feed(bytes) { piece in
                                switch piece {
                                case .line(let slice):
                                    let text = String(decoding: slice, as: UTF8.self)
                                    if let end = assetEnd {
                                        // The body of a multi-line asset: skipped up to its marker.
                                        if text == end { assetEnd = nil }
                                        return
                                    }
                                    let line = parser.parse(text, receivedAt: now)
                                    if case .data(let data) = line, let end = data.multilineEnd { assetEnd = end }
                                    if case .pong(let millis) = line { heartbeat.pong(intervalMillis: millis) }
                                    onLine(line, text[...])
                                case .overflow:
                                    onLine(.malformed(reason: "a line is longer than \(options.maxLineBytes) bytes; dropped up to the next newline"), "")
                                }
                            }
                        }
                        await onBatch()
                    }
                } catch {
                    // A reset or a read error ends the session like a close; the watchdog's close lands here too.
                }
                tasks.cancelAll()
                try? await tasks.waitForAll()
                if Task.isCancelled { return .cancelled }
                if let silence = heartbeat.deadSilenceMillis {
                    return .heartbeatTimeout(silenceMillis: silence, limitMillis: heartbeat.limitMillis)
                }
                return .closedByPeer
            }
        }
    }
}
