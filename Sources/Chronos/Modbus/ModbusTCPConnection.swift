import NIOCore
import NIOPosix

/// One TCP connection to a Modbus server. `send` may be called concurrently: requests are
/// pipelined on the connection, each matched to its reply by transaction id (callers that want
/// one request at a time, the default, simply await each before the next).
public final class ModbusTCPConnection: Sendable {
    public let host: String
    public let port: Int
    private let channel: any Channel

    private init(host: String, port: Int, channel: any Channel) {
        self.host = host
        self.port = port
        self.channel = channel
    }

    /// Connects within `connectTimeout`. `onWrongTransactionID` is called (on the event loop)
    /// for each discarded reply whose transaction id was not outstanding.
    public static func connect(
        host: String, port: Int, connectTimeout: Duration = .seconds(3), interByteTimeout: Duration = .milliseconds(100),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onWrongTransactionID: @escaping @Sendable (UInt16) -> Void = { _ in }
    ) async throws(ModbusError) -> ModbusTCPConnection {
        let interByte = TimeAmount(interByteTimeout)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(MBAPDecoder(interByteTimeout: interByte)),
                        ModbusTCPHandler(onWrongTransactionID: onWrongTransactionID),
                    ])
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            return ModbusTCPConnection(host: host, port: port, channel: channel)
        } catch {
            throw ModbusError(.connect, "cannot connect to \(host):\(port): \(error); check the address and that the device accepts Modbus TCP on port \(port)")
        }
    }

    public var isActive: Bool { channel.isActive }

    /// An executor on the connection's event loop: code that sends many requests runs with
    /// fewer thread hops under `withTaskExecutorPreference(connection.taskExecutor)`.
    public var taskExecutor: any TaskExecutor { EventLoopTaskExecutor(channel.eventLoop) }

    /// Sends one request and waits for its reply (or `timeout`). Exception replies throw
    /// `.exception` with the code; a reply from another unit throws `.wrongUnit`.
    public func send(unit: UInt8, _ request: ModbusRequest, timeout: Duration) async throws(ModbusError) -> ModbusResponse {
        try request.validate()
        let response = channel.eventLoop.makePromise(of: MBAPFrame.self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            response.fail(ModbusError(.closed, "cannot send: \(error)"))
        }
        channel.writeAndFlush(ModbusTCPOutbound(unit: unit, pdu: request.encode(), timeout: TimeAmount(timeout), response: response), promise: written)
        let frame: MBAPFrame
        do {
            frame = try await response.futureResult.get()
        } catch let error as ModbusError {
            throw error
        } catch {
            throw ModbusError(.closed, "connection failed: \(error)")
        }
        guard frame.unit == unit else {
            throw ModbusError(.wrongUnit, "reply came from unit \(frame.unit), the request went to unit \(unit); check the unit id")
        }
        return try request.decodeResponse(frame.pdu)
    }

    public func close() async {
        try? await channel.close()
    }
}
