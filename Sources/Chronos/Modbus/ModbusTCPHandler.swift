import NIOCore

/// A request on its way to the handler: the handler picks the transaction id.
struct ModbusTCPOutbound: Sendable {
    var unit: UInt8
    var pdu: [UInt8]
    var timeout: TimeAmount
    var response: EventLoopPromise<MBAPFrame>
}

/// Matches replies to requests by transaction id. A reply whose id is not outstanding (a late
/// reply to a request that timed out, or a device's mistake) is discarded and counted; it is
/// never applied to another request, and the request it did not answer keeps waiting until its
/// own timeout. Each request has its own timer, so pipelined requests time out independently.
final class ModbusTCPHandler: ChannelDuplexHandler {
    typealias InboundIn = MBAPFrame
    typealias OutboundIn = ModbusTCPOutbound
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<MBAPFrame>
        var timer: Scheduled<Void>
    }

    private var nextID: UInt16 = 1
    private var pending: [UInt16: Pending] = [:]
    private let onWrongTransactionID: @Sendable (UInt16) -> Void

    init(onWrongTransactionID: @escaping @Sendable (UInt16) -> Void) {
        self.onWrongTransactionID = onWrongTransactionID
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        var id = nextID
        while pending[id] != nil { id &+= 1 }
        nextID = id &+ 1
        let timeout = request.timeout
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self, let entry = self.pending.removeValue(forKey: id) else { return }
            entry.promise.fail(ModbusError(.timeout, "no reply within \(timeout.nanoseconds / 1_000_000) ms"))
        }
        pending[id] = Pending(promise: request.response, timer: timer)
        let frame = MBAPFrame(transactionID: id, unit: request.unit, pdu: request.pdu)
        var buffer = context.channel.allocator.buffer(capacity: MBAPFrame.headerLength + request.pdu.count)
        buffer.writeBytes(frame.encode())
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard let entry = pending.removeValue(forKey: frame.transactionID) else {
            onWrongTransactionID(frame.transactionID)
            return
        }
        entry.timer.cancel()
        entry.promise.succeed(frame)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let failure = (error as? ModbusError) ?? ModbusError(.closed, "connection failed: \(error)")
        failAll(failure)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(ModbusError(.closed, "the connection closed while a request was outstanding; the device may have restarted"))
        context.fireChannelInactive()
    }

    private func failAll(_ error: ModbusError) {
        let entries = pending
        pending.removeAll()
        for entry in entries.values {
            entry.timer.cancel()
            entry.promise.fail(error)
        }
    }
}
