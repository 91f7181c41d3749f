import NIOCore

/// Splits the TCP byte stream into MBAP frames. A frame that starts but does not finish within
/// `interByteTimeout` of its last byte fires a `.partialFrame` error: the stream's framing is
/// lost, so the handler fails what is outstanding and closes the connection.
final class MBAPDecoder: ByteToMessageDecoder {
    typealias InboundOut = MBAPFrame

    private let interByteTimeout: TimeAmount
    private var partialTimer: Scheduled<Void>?

    init(interByteTimeout: TimeAmount) {
        self.interByteTimeout = interByteTimeout
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard buffer.readableBytes >= MBAPFrame.headerLength,
              let header = buffer.getBytes(at: buffer.readerIndex, length: MBAPFrame.headerLength) else {
            armPartialTimer(context: context, pending: buffer.readableBytes)
            return .needMoreData
        }
        let protocolID = UInt16(header[2]) << 8 | UInt16(header[3])
        let length = Int(UInt16(header[4]) << 8 | UInt16(header[5]))
        guard protocolID == 0, (2...MBAPFrame.maxLengthField).contains(length) else {
            cancelPartialTimer()
            throw ModbusError(.malformed, "reply has an invalid MBAP header (protocol id \(protocolID), length \(length)); is this a Modbus TCP server?")
        }
        guard buffer.readableBytes >= 6 + length else {
            armPartialTimer(context: context, pending: buffer.readableBytes)
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: MBAPFrame.headerLength)
        let pdu = buffer.readBytes(length: length - 1) ?? []
        cancelPartialTimer()
        let frame = MBAPFrame(transactionID: UInt16(header[0]) << 8 | UInt16(header[1]), unit: header[6], pdu: pdu)
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        cancelPartialTimer()
        return .needMoreData
    }

    func decoderRemoved(context: ChannelHandlerContext) {
        cancelPartialTimer()
    }

    /// (Re)starts the inter-byte timer while part of a frame is buffered.
    private func armPartialTimer(context: ChannelHandlerContext, pending: Int) {
        cancelPartialTimer()
        guard pending > 0 else { return }
        let timeout = interByteTimeout
        partialTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            self?.partialTimer = nil
            context.fireErrorCaught(ModbusError(
                .partialFrame,
                "reply stopped after \(pending) bytes with no more within \(timeout.nanoseconds / 1_000_000) ms (partial frame); check the network or raise inter_byte_timeout_ms"))
        }
    }

    private func cancelPartialTimer() {
        partialTimer?.cancel()
        partialTimer = nil
    }
}
