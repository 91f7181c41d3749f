import GatewayCore
import Logging

/// The delivery step the live sources share: renumber Nexmon frames per device, validate
/// sequence numbers, push to the queue, count, and log malformed input and drops once per burst.
///
/// Not thread-safe: each source owns one and uses it from a single thread (an event loop or
/// the capture thread).
struct LiveFrameSink {
    let maxDevices: Int
    private var intake: FrameIntake
    /// Next frame number per Nexmon device (see `renumberNexmon`).
    private var nexmonNumbers: [DeviceID: UInt32] = [:]

    init(queue: IngestQueue, counters: IngestCounters, maxDevices: Int, logger: Logger) {
        self.maxDevices = maxDevices
        self.intake = FrameIntake(queue: queue, counters: counters, maxDevices: maxDevices, logger: logger)
    }

    var counters: IngestCounters { intake.counters }

    /// 802.11 sequence numbers repeat (12 bits, retransmissions, one per spatial stream), so
    /// they cannot drive duplicate detection: number each device's frames in arrival order
    /// instead (as `PcapCaptureReader` does for files).
    mutating func renumberNexmon(_ frame: inout CSIFrame) {
        if let next = nexmonNumbers[frame.device] {
            frame.sequence = next
            nexmonNumbers[frame.device] = next &+ 1
        } else {
            frame.sequence = 0
            // Bounded like the validator's table; frames of devices beyond it are dropped there.
            if nexmonNumbers.count < maxDevices { nexmonNumbers[frame.device] = 1 }
        }
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
}
