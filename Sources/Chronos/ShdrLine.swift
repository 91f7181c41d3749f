/// One parsed line of an SHDR stream.
public enum ShdrLine: Sendable, Equatable {
    /// `timestamp|key|value|...`: the observations of one line, all at `time`.
    case data(ShdrDataLine)
    /// `* key: value` (`* shdrVersion: 2`, `* uuid: ...`).
    case command(key: String, value: String)
    /// `* PONG <ms>`: the adapter wants a PING every `intervalMillis`.
    case pong(intervalMillis: Int)
    /// `* PING` sent by a peer (adapters do not, agents do); answered by nobody here.
    case ping
    /// Blank line.
    case empty
    /// Nothing usable; `reason` says why (for the log and `lastError`).
    case malformed(reason: String)
}

public struct ShdrDataLine: Sendable, Equatable {
    /// Unix microseconds: the adapter's timestamp, or the receive time when it sent none.
    public var time: Int64
    /// False when the timestamp field was empty and `time` is the receive time.
    public var timeFromAdapter: Bool
    /// The `timestamp@duration` suffix in seconds, when present (statistics over a period).
    public var durationSeconds: Double?
    public var observations: [ShdrObservation]
    /// Set when part of the line was dropped (too few fields, a bad time series); the
    /// observations before the problem are kept.
    public var problem: String?
    /// Set when the line starts a multi-line asset (`...|@ASSET@|id|type|--multiline--ABC`): the
    /// lines up to the one equal to this marker are the asset's body, not SHDR.
    public var multilineEnd: String?

    public init(time: Int64, timeFromAdapter: Bool, durationSeconds: Double? = nil, observations: [ShdrObservation] = [], problem: String? = nil) {
        self.time = time
        self.timeFromAdapter = timeFromAdapter
        self.durationSeconds = durationSeconds
        self.observations = observations
        self.problem = problem
    }
}

public struct ShdrObservation: Sendable, Equatable {
    /// The key as sent, with any "device:" prefix.
    public var key: String
    public var kind: ShdrItemKind
    public var value: ShdrValue
    /// False when the key has no configured kind (parsed as a one-field sample/event).
    public var configured: Bool

    public init(key: String, kind: ShdrItemKind, value: ShdrValue, configured: Bool = true) {
        self.key = key
        self.kind = kind
        self.value = value
        self.configured = configured
    }
}

public enum ShdrConditionLevel: String, Sendable, Equatable, CaseIterable {
    case normal = "NORMAL", warning = "WARNING", fault = "FAULT", unavailable = "UNAVAILABLE"
}

public enum ShdrValue: Sendable, Equatable {
    /// A sample or event value as text (unquoted, unescaped); `resetTrigger` from `value:TRIGGER`.
    case value(String, resetTrigger: String?)
    /// The adapter reported the item `UNAVAILABLE`.
    case unavailable
    case condition(level: ShdrConditionLevel, nativeCode: String, nativeSeverity: String, qualifier: String, message: String)
    case message(nativeCode: String, text: String)
    /// `count` values at `rateHertz` (nil when the adapter left the rate empty).
    case timeSeries(rateHertz: Double?, values: [Double])
}
