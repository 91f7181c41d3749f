import GatewayCore

/// One value a serial instrument prints, and where in the line it is.
public struct InstrumentPoint: Sendable, Equatable {
    public enum ValueType: String, Sendable, Equatable, CaseIterable {
        case number, integer, text, boolean
    }

    /// The telemetry point name.
    public var name: String
    public var type: ValueType
    public var unit: String
    /// number: value × scale + offset. integer: the same, so scale and offset must keep it whole
    /// (1 and 0 unless the instrument prints e.g. tenths).
    public var scale: Double
    public var offset: Double
    /// Regex mode: the named group holding the value (defaults to the point name).
    public var group: String?
    /// Delimiter mode: the field holding the value, 1 for the first (as `cut -f` counts).
    public var field: Int?

    public init(name: String, type: ValueType = .number, unit: String = "", scale: Double = 1, offset: Double = 0,
                group: String? = nil, field: Int? = nil) {
        self.name = name
        self.type = type
        self.unit = unit
        self.scale = scale
        self.offset = offset
        self.group = group
        self.field = field
    }

    /// `text` converted to this point's type, or nil when it is not one.
    public func value(of text: Substring) -> TelemetryValue? {
        let trimmed = text.trimmingSpaces()
        switch type {
        case .number:
            guard let number = Double(trimmed), number.isFinite else { return nil }
            return .number(number * scale + offset)
        case .integer:
            guard let whole = Int64(trimmed.hasPrefix("+") ? trimmed.dropFirst() : trimmed) else { return nil }
            if scale == 1, offset == 0 { return .integer(whole) }
            let scaled = (Double(whole) * scale + offset).rounded()
            guard let result = Int64(exactly: scaled) else { return nil }
            return .integer(result)
        case .text:
            return .text(String(trimmed))
        case .boolean:
            switch trimmed.lowercased() {
            case "1", "true", "on", "yes", "y", "t": return .boolean(true)
            case "0", "false", "off", "no", "n", "f": return .boolean(false)
            default: return nil
            }
        }
    }
}
