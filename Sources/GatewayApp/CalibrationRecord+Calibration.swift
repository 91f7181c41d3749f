import GatewayCore
import Inference
import Store

extension CalibrationRecord {
    /// A row for `calibration` of `device`, its body in the current `CalibrationDocument` format.
    public init(device: DeviceID, calibration: Calibration, source: String, created: Int64 = unixMicrosNow()) throws {
        self.init(
            device: device, created: created, source: source, seconds: calibration.seconds, windows: calibration.windows,
            motionThreshold: calibration.motionThreshold, presenceThreshold: calibration.presenceThreshold,
            gainStepFraction: calibration.gainStepFraction, warnings: calibration.warnings,
            body: try CalibrationDocument.encode(calibration))
    }

    /// The stored calibration. Throws a `GatewayError` naming the row, its device and the
    /// database (`path`) when the body cannot be read (damaged, or from a newer gateway).
    public func calibration(in path: String) throws -> Calibration {
        try CalibrationDocument.decode(body, what: "\(label) in \(path)")
    }
}
