import Foundation
import GatewayCore
import Ingest

/// One RS-232 instrument that prints readings as text lines (a scale, a thermometer, a
/// multimeter): the `instruments:` list of the gateway config.
public struct InstrumentSettings: Sendable, Equatable {
    public enum Parsing: Sendable, Equatable {
        /// A regular expression (ICU syntax, as NSRegularExpression) whose named groups
        /// `(?<name>...)` hold the values; the first match in the line counts.
        case regex(String)
        /// Fields split on `separator` (spaces around each field are trimmed).
        case delimited(separator: String)
    }

    public enum Terminator: String, Sendable, Equatable, CaseIterable {
        case lf, cr, crlf
        public var bytes: [UInt8] {
            switch self {
            case .lf: [0x0A]
            case .cr: [0x0D]
            case .crlf: [0x0D, 0x0A]
            }
        }
    }

    /// The machine name: the `source` of its telemetry.
    public var name: String
    public var path: String
    public var baud: Int
    public var parity: SerialSettings.Parity
    public var stopBits: Int
    public var terminator: Terminator
    public var parsing: Parsing
    public var points: [InstrumentPoint]
    /// Sent every `pollMillis` for instruments that answer on query ("*IDN?\n", "R\r\n"); nil
    /// for instruments that print on their own.
    public var request: String?
    public var pollMillis: Int
    public var maxLineBytes: Int
    public var reopenInitialMillis: Int
    public var reopenMaxMillis: Int

    public init(name: String, path: String, baud: Int = 9600, parity: SerialSettings.Parity = .none, stopBits: Int = 1,
                terminator: Terminator = .lf, parsing: Parsing, points: [InstrumentPoint], request: String? = nil,
                pollMillis: Int = 1000, maxLineBytes: Int = 4096, reopenInitialMillis: Int = 500, reopenMaxMillis: Int = 10_000) {
        self.name = name
        self.path = path
        self.baud = baud
        self.parity = parity
        self.stopBits = stopBits
        self.terminator = terminator
        self.parsing = parsing
        self.points = points
        self.request = request
        self.pollMillis = pollMillis
        self.maxLineBytes = maxLineBytes
        self.reopenInitialMillis = reopenInitialMillis
        self.reopenMaxMillis = reopenMaxMillis
    }

    /// Checks everything but the device (which may be plugged in later); compiles the regex.
    public func validate() throws {
        func fail(_ text: String) -> GatewayError { GatewayError(.invalidConfig, "instrument '\(name)': \(text)") }
        guard !name.isEmpty else { throw GatewayError(.invalidConfig, "an instrument has no name; give each instrument a unique name") }
        guard !path.isEmpty else { throw fail("path is empty; set it to the instrument's tty, for example /dev/ttyUSB0") }
        do {
            _ = try SerialPort.speed(forBaud: baud)
        } catch let error as GatewayError {
            throw fail(error.message)
        }
        guard stopBits == 1 || stopBits == 2 else { throw fail("stop bits \(stopBits) is not supported; use 1 or 2") }
        guard !points.isEmpty else { throw fail("no points; list at least one under points") }
        guard pollMillis >= 10 else { throw fail("poll_ms \(pollMillis) is too short; use at least 10") }
        if let request, request.isEmpty { throw fail("request is empty; remove it for instruments that print on their own") }
        guard maxLineBytes >= 16 else { throw fail("max line bytes \(maxLineBytes) is too small; use at least 16") }
        var names = Set<String>()
        for point in points {
            guard !point.name.isEmpty else { throw fail("a point has an empty name") }
            guard names.insert(point.name).inserted else { throw fail("point '\(point.name)' is listed twice") }
            guard point.scale.isFinite, point.offset.isFinite, point.scale != 0 else {
                throw fail("point '\(point.name)' has scale \(point.scale) and offset \(point.offset); use finite numbers and a non-zero scale")
            }
            switch parsing {
            case .regex:
                guard point.field == nil else { throw fail("point '\(point.name)' sets field, which only delimiter parsing uses; name a regex group instead") }
            case .delimited:
                guard let field = point.field, field >= 1 else {
                    throw fail("point '\(point.name)' needs field: the 1-based position of its value in the line (1 is the first field)")
                }
                guard point.group == nil else { throw fail("point '\(point.name)' sets group, which only regex parsing uses; give field instead") }
            }
        }
        switch parsing {
        case .regex(let pattern):
            // Group names first: ICU rejects a pattern with a bad one with a vague error.
            for point in points {
                let group = point.group ?? point.name
                guard group.range(of: "^[A-Za-z][A-Za-z0-9]*$", options: .regularExpression) != nil else {
                    throw fail("regex group name '\(group)' of point '\(point.name)' is not allowed: group names are letters and digits, starting with a letter; set group to such a name")
                }
                guard pattern.contains("(?<\(group)>") else {
                    throw fail("regex '\(pattern)' has no group named '\(group)' for point '\(point.name)'; add (?<\(group)>...) or set group")
                }
            }
            do {
                _ = try NSRegularExpression(pattern: pattern)
            } catch {
                throw fail("regex '\(pattern)' does not compile (\(error)); check the brackets and escapes (in YAML, single-quote it)")
            }
        case .delimited(let separator):
            guard !separator.isEmpty else { throw fail("the delimiter is empty; use for example ',' or ';' or ' '") }
        }
    }
}
