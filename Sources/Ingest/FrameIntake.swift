import GatewayCore
import Logging

/// The last step every live source shares: count malformed input (one log line per burst),
/// rename devices as configured for the source (`DeviceNames`), check sequence numbers per
/// device, and push valid frames into the bounded queue, counting duplicates, sequence gaps and
/// overload drops.
///
/// Not thread-safe: each source owns one and calls it from its single reading thread (a NIO
/// event loop, libmosquitto's network thread, a serial or pcap reader thread).
public struct FrameIntake: Sendable {
    public let queue: IngestQueue
    public let counters: IngestCounters
    private let logger: Logger
    private var validator: FrameValidator
    /// GaN PA frames number their own sequence, even from a node that also sends CSI.
    private var paValidator: FrameValidator
    private var malformedLog = BurstLogger()
    private var droppedLog = BurstLogger()
    private let naming: DeviceNames
    /// Renamed ids by original id, so a prefix is not concatenated per frame (bounded like the validator).
    private var renamed: [DeviceID: DeviceID] = [:]
    private let maxDevices: Int

    public init(queue: IngestQueue, counters: IngestCounters, maxDevices: Int, naming: DeviceNames = DeviceNames(), logger: Logger) {
        self.naming = naming
        self.maxDevices = maxDevices
        self.queue = queue
        self.counters = counters
        self.logger = logger
        self.validator = FrameValidator(maxDevices: maxDevices)
        self.paValidator = FrameValidator(maxDevices: maxDevices)
    }

    /// Counts rejected input from `origin` ("from 10.0.0.7:5566", "on topic csi/a", ...).
    public mutating func reject(_ reasons: [MalformedReason], origin: String, now: Int64,
                                metadata: @autoclosure () -> Logger.Metadata = [:]) {
        guard let first = reasons.first else { return }
        counters.countMalformed(reasons.count)
        var details = metadata()
        details["reason"] = "\(first.label)"
        malformedLog.report("skipping malformed input \(origin): \(first)", now: now, logger: logger, metadata: details)
    }

    /// Validates and queues frames; never blocks.
    public mutating func admit(_ frames: [CSIFrame], now: Int64) {
        admit(frames, separateSequences: false, now: now)
    }

    /// Validates and queues GaN PA frames; never blocks.
    public mutating func admit(pa frames: [PAFrame], now: Int64) {
        guard !frames.isEmpty else { return }
        admit(frames, separateSequences: true, now: now)
    }

    /// Every decoded frame of one envelope.
    public mutating func admit(_ output: EnvelopeDecoder.Output, now: Int64) {
        if !output.frames.isEmpty { admit(output.frames, now: now) }
        if !output.paFrames.isEmpty { admit(pa: output.paFrames, now: now) }
    }

    private mutating func admit<Frame: QueueableFrame>(_ frames: [Frame], separateSequences: Bool, now: Int64) {
        var accepted = 0
        var dropped = 0
        for var frame in frames {
            if !naming.isIdentity { frame.device = rename(frame.device) }
            let verdict = separateSequences
                ? paValidator.check(device: frame.device, sequence: frame.sequence)
                : validator.check(device: frame.device, sequence: frame.sequence)
            switch verdict {
            case .accept(let lost): counters.countLost(lost)
            case .restart: counters.countRestart()
            case .duplicate:
                // Redelivery (QoS 1, retransmission) or a replayed datagram: stored once.
                counters.countDuplicate()
                continue
            case .tooManyDevices:
                dropped += 1
                continue
            }
            if queue.push(frame.queued) == .queued { accepted += 1 } else { dropped += 1 }
        }
        if accepted > 0 { counters.countAccepted(accepted) }
        if dropped > 0 {
            counters.countDropped(dropped)
            droppedLog.report(
                "dropping frames: the pipeline is behind or the device table is full (queue depth \(queue.depth)); raise pipeline.queue_frames_per_device or pipeline.max_devices, or reduce the send rate",
                now: now, logger: logger)
        }
    }

    private mutating func rename(_ id: DeviceID) -> DeviceID {
        if let known = renamed[id] { return known }
        let name = naming.name(for: id)
        if renamed.count < maxDevices { renamed[id] = name }
        return name
    }

    /// Logs what the burst loggers suppressed (when a source stops).
    public mutating func flushLogs() {
        malformedLog.flush(logger: logger)
        droppedLog.flush(logger: logger)
    }
}

/// What `FrameIntake` needs of a frame kind: its device, its sequence, and its queue form.
protocol QueueableFrame {
    var device: DeviceID { get set }
    var sequence: UInt32 { get }
    var queued: SensorFrame { get }
}

extension CSIFrame: QueueableFrame {
    var queued: SensorFrame { .csi(self) }
}

extension PAFrame: QueueableFrame {
    var queued: SensorFrame { .pa(self) }
}
