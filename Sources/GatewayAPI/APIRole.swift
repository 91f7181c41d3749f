/// What a bearer token may do. `read` sees everything (status, devices, events, telemetry,
/// proofs, metrics); `operator` may also change things (start a calibration, acknowledge a pull).
public enum APIRole: String, Sendable, CaseIterable, Codable {
    case read
    case `operator`

    /// Whether this role covers what `needed` asks for.
    public func allows(_ needed: APIRole) -> Bool {
        self == .operator || needed == .read
    }
}
