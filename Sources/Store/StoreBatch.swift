import GatewayCore

/// Rows to commit together in one transaction.
public struct StoreBatch: Sendable {
    /// Upserted: `first_seen` is kept, `last_seen` becomes the maximum, `frames` are added.
    public var devices: [DeviceActivity]
    /// Upserted by id: an open interval later closed with the same id updates end, confidence,
    /// model version and features.
    public var events: [SensingEvent]
    /// Appended.
    public var features: [WindowFeatures]
    /// Appended when ``StoreOptions/rawFramesMaxBytes`` is above 0, ignored otherwise.
    public var rawFrames: [RawFrame]
    /// Appended; then each device written keeps only its newest
    /// ``StoreOptions/calibrationsKeptPerDevice`` rows.
    public var calibrations: [CalibrationRecord]
    /// Appended, and each sample appended to the signed log in the same transaction.
    public var telemetry: [TelemetrySample]
    /// Appended to the signed log only (`LogEntry.energy_signature`), after the events and samples.
    public var energySignatures: [EnergySignature]

    public init(
        devices: [DeviceActivity] = [], events: [SensingEvent] = [],
        features: [WindowFeatures] = [], rawFrames: [RawFrame] = [],
        calibrations: [CalibrationRecord] = [], telemetry: [TelemetrySample] = [],
        energySignatures: [EnergySignature] = []
    ) {
        self.devices = devices
        self.events = events
        self.features = features
        self.rawFrames = rawFrames
        self.calibrations = calibrations
        self.telemetry = telemetry
        self.energySignatures = energySignatures
    }

    /// Total rows in the batch, raw frames included.
    public var rowCount: Int {
        devices.count + events.count + features.count + rawFrames.count + calibrations.count + telemetry.count
            + energySignatures.count
    }

    public var isEmpty: Bool {
        devices.isEmpty && events.isEmpty && features.isEmpty && rawFrames.isEmpty && calibrations.isEmpty && telemetry.isEmpty
            && energySignatures.isEmpty
    }

    /// Appends the rows of `other` after this batch's rows, keeping their order.
    public mutating func append(contentsOf other: StoreBatch) {
        devices.append(contentsOf: other.devices)
        events.append(contentsOf: other.events)
        features.append(contentsOf: other.features)
        rawFrames.append(contentsOf: other.rawFrames)
        calibrations.append(contentsOf: other.calibrations)
        telemetry.append(contentsOf: other.telemetry)
        energySignatures.append(contentsOf: other.energySignatures)
    }
}
