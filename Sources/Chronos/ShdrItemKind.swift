/// How an SHDR data item's fields are laid out and turned into telemetry. SHDR itself does not
/// say: the MTConnect device XML does, so the gateway's config names the kind of every key that
/// is not a plain sample or event.
public enum ShdrItemKind: String, Sendable, Equatable, CaseIterable, Codable {
    /// `key|value`: a number (scaled), UNAVAILABLE, or text when it is not a number.
    case sample
    /// `key|value`: text (or a whole number, e.g. a part count), optionally `value:RESET`.
    case event
    /// `key|level|native_code|native_severity|qualifier|message`.
    case condition
    /// `key|native_code|text`.
    case message
    /// `key|count|rate|v1 v2 v3 ...`.
    case timeSeries = "time_series"
}

/// One configured SHDR key: which telemetry point it feeds and how.
public struct ShdrItemMapping: Sendable, Equatable {
    /// The key as the adapter sends it (a device prefix "dev:key" may be left off: a key
    /// without a mapping is looked up again without its prefix).
    public var key: String
    /// The telemetry point name (defaults to the key).
    public var point: String
    public var kind: ShdrItemKind
    public var unit: String
    /// Numeric values are multiplied by this.
    public var scale: Double

    public init(key: String, point: String? = nil, kind: ShdrItemKind = .sample, unit: String = "", scale: Double = 1) {
        self.key = key
        self.point = point ?? key
        self.kind = kind
        self.unit = unit
        self.scale = scale
    }
}
