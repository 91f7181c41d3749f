import GatewayCore

/// One interval alarm with hysteresis: raised after `frames` consecutive readings past its
/// threshold, cleared after as many readings back past its clear level. While raised it keeps
/// the worst reading and the features measured then, so the closing event says how bad it got.
struct HysteresisAlarm: Sendable {
    let kind: EventKind
    let frames: Int
    private(set) var open: SensingEvent?
    private var run = 0
    private var runStart: Int64 = 0
    /// Severity of the worst reading while open (larger is worse).
    private var worst = 0.0
    private var worstFeatures: [NamedValue] = []

    init(kind: EventKind, frames: Int) {
        self.kind = kind
        self.frames = max(1, frames)
    }

    var isRaised: Bool { open != nil }

    /// One reading. `over`: past the alarm threshold; `under`: back past the clear level.
    /// `severity` orders readings (1 at the threshold; the confidence maps it as the presence and
    /// motion detector maps its score ratio);
    /// `features` is evaluated only when needed. Returns the event when the alarm opens or closes.
    mutating func update(device: DeviceID, time: Int64, over: Bool, under: Bool, severity: Double,
                         modelVersion: String, features: () -> [NamedValue]) -> SensingEvent? {
        if var event = open {
            if severity > worst {
                worst = severity
                worstFeatures = features()
            }
            guard under else { run = 0; return nil }
            if run == 0 { runStart = time }
            run += 1
            guard run >= frames else { return nil }
            event.end = max(event.start, runStart)
            event.confidence = PresenceMotionDetector.confidence(worst)
            event.features = worstFeatures + [NamedValue("frames_to_clear", Double(frames))]
            open = nil
            run = 0
            return event
        }
        guard over else { run = 0; return nil }
        if run == 0 { runStart = time }
        run += 1
        guard run >= frames else { return nil }
        worst = severity
        worstFeatures = features()
        let event = SensingEvent(device: device, kind: kind, confidence: PresenceMotionDetector.confidence(severity), start: runStart,
                                 end: nil, modelVersion: modelVersion, features: worstFeatures)
        open = event
        run = 0
        return event
    }

    /// End of stream: close an open alarm at `time`.
    mutating func finish(at time: Int64) -> SensingEvent? {
        guard var event = open else { return nil }
        event.end = max(event.start, time)
        event.confidence = PresenceMotionDetector.confidence(worst)
        event.features = worstFeatures + [NamedValue("closed_at_end_of_stream", 1)]
        open = nil
        return event
    }
}
