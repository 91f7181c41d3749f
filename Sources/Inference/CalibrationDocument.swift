import Foundation
import GatewayCore

/// A calibration as stored text: `{"format": 1, "calibration": {...}}`.
///
/// `format` changes when a field's meaning changes or a required field is added, so that an
/// older gateway refuses a newer body with a clear message instead of misreading it. Non-finite
/// numbers are written as the strings "NaN", "Infinity" and "-Infinity".
public struct CalibrationDocument: Sendable, Equatable, Codable {
    /// The format this gateway writes, and the newest it reads.
    public static let currentFormat = 1

    public var format: Int
    public var calibration: Calibration

    public init(_ calibration: Calibration, format: Int = Self.currentFormat) {
        self.format = format
        self.calibration = calibration
    }

    /// The JSON text of `calibration` in the current format.
    public static func encode(_ calibration: Calibration) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(CalibrationDocument(calibration)), as: UTF8.self)
    }

    /// Reads a body written by `encode`. Throws a `GatewayError` (`.malformedInput`) that says
    /// whether the text is not a calibration at all or comes from a newer gateway; `what` names
    /// the text's origin in the message ("calibration row 12 of device 'kitchen' in gw.sqlite").
    public static func decode(_ text: String, what: String) throws -> Calibration {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = Data(text.utf8)
        struct Header: Decodable { var format: Int }
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw GatewayError(.malformedInput,
                "\(what) is not a calibration document (no format number: \(Self.describe(error))); recalibrate with 'gateway calibrate'")
        }
        guard header.format <= currentFormat, header.format >= 1 else {
            throw GatewayError(.malformedInput,
                "\(what) has calibration format \(header.format), this gateway reads formats 1 to \(currentFormat); upgrade the gateway or recalibrate with 'gateway calibrate'")
        }
        do {
            return try decoder.decode(CalibrationDocument.self, from: data).calibration
        } catch {
            throw GatewayError(.malformedInput,
                "\(what) is a damaged calibration (format \(header.format): \(Self.describe(error))); recalibrate with 'gateway calibrate'")
        }
    }

    /// A one-line reason from a `DecodingError`: which field, what was wrong.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)'\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
