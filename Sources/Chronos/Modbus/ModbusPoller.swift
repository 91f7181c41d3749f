import GatewayCore
import Logging

/// The polling state of one device, shared by the TCP and RTU drivers: its read plan and when
/// each read is next due, the deadband state, and what has been reported. It turns replies into
/// samples and health records. Owned by one task or thread; not thread-safe.
struct ModbusPoller {
    struct Due {
        var block: Int
        var scheduled: ContinuousClock.Instant
    }

    let settings: ModbusDeviceSettings
    let recorder: MachineHealthRecorder
    let logger: Logger
    private(set) var blocks: [ModbusReadBlock]
    private var nextDue: [ContinuousClock.Instant]
    /// Blocks whose single point gave illegal address/value: retried quietly after this time.
    private var quietUntil: [ContinuousClock.Instant?]
    private var reported: Set<String> = []
    private var deadband: DeadbandFilter
    private var lastLoggedReason: String?
    /// Reads that started more than one period late (the schedule skipped ahead).
    private(set) var overruns = 0

    static let quietRetry = Duration.seconds(60)

    init(settings: ModbusDeviceSettings, recorder: MachineHealthRecorder, logger: Logger, start: ContinuousClock.Instant) {
        self.settings = settings
        self.recorder = recorder
        self.logger = logger
        blocks = ModbusReadPlanner.plan(settings.points, maxGap: settings.maxGap)
        nextDue = Array(repeating: start, count: blocks.count)
        quietUntil = Array(repeating: nil, count: blocks.count)
        deadband = DeadbandFilter(heartbeatSeconds: settings.heartbeatSeconds)
    }

    /// The earliest time a read is due.
    var earliestDue: ContinuousClock.Instant? { nextDue.min() }

    /// The reads due at `now`, most overdue first; each is rescheduled one period on.
    mutating func takeDue(now: ContinuousClock.Instant, limit: Int = .max) -> [Due] {
        var due: [Due] = []
        for index in blocks.indices where nextDue[index] <= now {
            due.append(Due(block: index, scheduled: nextDue[index]))
        }
        due.sort { $0.scheduled < $1.scheduled }
        if due.count > limit { due.removeSubrange(limit...) }
        for entry in due { reschedule(entry.block, now: now) }
        return due
    }

    private mutating func reschedule(_ index: Int, now: ContinuousClock.Instant) {
        let period = Duration.milliseconds(blocks[index].periodMillis)
        var next = nextDue[index] + period
        if next <= now {
            // Fell behind by a whole period: skip the missed reads instead of bursting.
            overruns += 1
            next = now + period
        }
        nextDue[index] = next
    }

    /// Pushes every read back to no earlier than `time` (while disconnected or backing off).
    mutating func delayAll(until time: ContinuousClock.Instant) {
        for index in nextDue.indices where nextDue[index] < time { nextDue[index] = time }
    }

    /// Whether the block is in its quiet period (a reported bad point); such reads are skipped.
    func isQuiet(_ block: Int, now: ContinuousClock.Instant) -> Bool {
        guard let until = quietUntil[block] else { return false }
        return now < until
    }

    /// Turns one read's outcome into samples (deadband applied) and health records.
    mutating func handle(block index: Int, result: Result<ModbusResponse, ModbusError>, latency: Duration, now: ContinuousClock.Instant) -> [TelemetrySample] {
        let time = unixMicrosNow()
        switch result {
        case .success(let response):
            recorder.recordSuccess(at: time, latencySeconds: latency.secondsValue)
            if lastLoggedReason != nil {
                logger.info("modbus device answers again", metadata: ["modbus.device": "\(settings.name)"])
                lastLoggedReason = nil
            }
            quietUntil[index] = nil
            return samples(block: blocks[index], response: response, time: time)
        case .failure(let error):
            handleFailure(block: index, error: error, now: now)
            return []
        }
    }

    private mutating func handleFailure(block index: Int, error: ModbusError, now: ContinuousClock.Instant) {
        let block = blocks[index]
        if let code = error.exception, code == .illegalDataAddress || code == .illegalDataValue {
            if block.points.count > 1 {
                split(index, now: now)
                return
            }
            let point = settings.points[block.points[0]]
            quietUntil[index] = now + Self.quietRetry
            guard reported.insert(point.name).inserted else { return }
            let message = "\(settings.label): point \(point.name) (\(point.table.rawValue) \(point.address), \(point.type.name)): \(error.message)"
            recorder.recordError("exception", message: message)
            logger.warning("\(message)")
            return
        }
        let message: String
        switch error.kind {
        case .timeout, .partialFrame: message = "\(settings.label): \(error.message); \(settings.noReplyHint)"
        default: message = "\(settings.label): \(error.message)"
        }
        recorder.recordError(error.kind.description, message: message)
        if lastLoggedReason != error.kind.description {
            lastLoggedReason = error.kind.description
            logger.warning("\(message)")
        }
    }

    /// Records a connection failure (health, and a log line once per burst).
    mutating func recordConnectFailure(_ error: ModbusError) {
        recorder.recordError(error.kind.description, message: "\(settings.label): \(error.message)")
        if lastLoggedReason != error.kind.description {
            lastLoggedReason = error.kind.description
            logger.warning("\(settings.label): \(error.message)")
        }
    }

    /// Replaces a coalesced read the device refused with one read per point, so the good points
    /// keep working and the bad one is named.
    private mutating func split(_ index: Int, now: ContinuousClock.Instant) {
        let block = blocks[index]
        var singles = block.points.map { point in
            ModbusReadBlock(table: block.table, address: settings.points[point].address, count: settings.points[point].width,
                            periodMillis: block.periodMillis, points: [point])
        }
        blocks[index] = singles.removeFirst()
        nextDue[index] = now
        for single in singles {
            blocks.append(single)
            nextDue.append(now)
            quietUntil.append(nil)
        }
    }

    private mutating func samples(block: ModbusReadBlock, response: ModbusResponse, time: Int64) -> [TelemetrySample] {
        var samples: [TelemetrySample] = []
        samples.reserveCapacity(block.points.count)
        for index in block.points {
            let point = settings.points[index]
            let offset = Int(point.address) - Int(block.address)
            let raw: TelemetryValue
            switch response {
            case .bits(let bits):
                guard offset < bits.count else { continue }
                raw = .boolean(bits[offset])
            case .registers(let registers):
                guard offset + point.width <= registers.count else { continue }
                raw = ModbusValueCodec.decode(registers[offset..<(offset + point.width)], as: point.type, layout: point.layout)
            case .written:
                continue
            }
            let value = ModbusValueCodec.scale(raw, scale: point.scale, offset: point.offset)
            guard deadband.shouldEmit(point: index, value: value, deadband: point.deadband, time: time) else { continue }
            samples.append(TelemetrySample(source: settings.name, point: point.name, value: value, unit: point.unit, quality: .good, time: time))
        }
        return samples
    }
}
