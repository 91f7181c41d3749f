import GatewayCore

/// Where machine drivers deliver their readings. The gateway's sink stores them (and appends
/// them to the signed log); tests collect them. `deliver` must not block for long: a driver
/// calls it from its polling task, and the sink buffers (the store writer applies back-pressure
/// by suspending).
public protocol TelemetrySink: Sendable {
    func deliver(_ samples: [TelemetrySample]) async
}
