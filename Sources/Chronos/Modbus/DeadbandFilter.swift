import GatewayCore

/// Decides which readings become samples: all of them without a deadband; with one, only a
/// value that moved by more than the deadband since the last emitted one (any change for text
/// and booleans), or any value once `heartbeat` has passed since the last emitted sample.
struct DeadbandFilter {
    private var last: [Int: (value: TelemetryValue, time: Int64)] = [:]
    let heartbeatMicros: Int64

    init(heartbeatSeconds: Double) {
        heartbeatMicros = Int64(heartbeatSeconds * 1_000_000)
    }

    mutating func shouldEmit(point: Int, value: TelemetryValue, deadband: Double?, time: Int64) -> Bool {
        guard let deadband else { return true }
        guard let previous = last[point] else {
            last[point] = (value, time)
            return true
        }
        let moved: Bool
        if let now = value.numeric, let before = previous.value.numeric, value.isNumber, previous.value.isNumber {
            moved = abs(now - before) > deadband
        } else {
            moved = value != previous.value
        }
        let heartbeat = heartbeatMicros > 0 && time - previous.time >= heartbeatMicros
        guard moved || heartbeat else { return false }
        last[point] = (value, time)
        return true
    }
}

extension TelemetryValue {
    var isNumber: Bool {
        switch self {
        case .number, .integer: true
        case .boolean, .text: false
        }
    }
}
