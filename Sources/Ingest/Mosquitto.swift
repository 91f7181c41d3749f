import CMosquitto
import GatewayCore

/// Process-wide libmosquitto set-up and error text.
enum Mosquitto {
    /// `mosquitto_lib_init` once per process (it is not thread-safe to call twice concurrently).
    static let initialised: Bool = {
        mosquitto_lib_init() == MOSQ_ERR_SUCCESS.rawValue
    }()

    static func describe(_ rc: Int32) -> String {
        guard let text = mosquitto_strerror(rc) else { return "error \(rc)" }
        return "\(String(cString: text)) (\(rc))"
    }
}
