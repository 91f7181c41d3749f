import GatewayCore
import Logging

/// The delivery step the live sources share: name and number Nexmon streams, validate
/// sequence numbers, push to the queue, count, and log malformed input and drops once per burst.
///
/// Not thread-safe: each source owns one and uses it from a single thread (an event loop or
/// the capture thread).
struct LiveFrameSink {
    private var intake: FrameIntake
    /// Device ids and arrival-order frame numbers of Nexmon streams (see `NexmonStreams`).
    var nexmonStreams: NexmonStreams

    init(queue: IngestQueue, counters: IngestCounters, maxDevices: Int, naming: DeviceNames, logger: Logger) {
        self.intake = FrameIntake(queue: queue, counters: counters, maxDevices: maxDevices, naming: naming, logger: logger)
        self.nexmonStreams = NexmonStreams(capacity: maxDevices)
    }

    var counters: IngestCounters { intake.counters }

    /// Decodes one Nexmon payload with this sink's stream table.
    mutating func decodeNexmon(_ bytes: UnsafeRawBufferPointer, decoder: NexmonDecoder, timestamp: Int64)
        -> Result<CSIFrame, NexmonDecoder.Failure>
    {
        Result { () throws(NexmonDecoder.Failure) in try decoder.decode(bytes, timestamp: timestamp, streams: &nexmonStreams) }
    }
    /// Counts malformed inputs and logs the first of a burst.
    mutating func reject(_ reasons: [MalformedReason], origin: String, now: Int64,
                         metadata: @autoclosure () -> Logger.Metadata = [:]) {
        intake.reject(reasons, origin: origin, now: now, metadata: metadata())
    }

    /// Validates and queues decoded frames.
    mutating func deliver(_ frames: [CSIFrame], now: Int64) {
        intake.admit(frames, now: now)
    }

    /// Validates and queues every frame of one decoded envelope.
    mutating func deliver(_ output: EnvelopeDecoder.Output, now: Int64) {
        intake.admit(output, now: now)
    }
}
