import CMosquitto
import Foundation
import GatewayCore

/// Owns one `struct mosquitto *` and the callbacks that forward to an `MQTTContext`.
///
/// Thread-safety: libmosquitto is built thread-safe; after `startLoop` its own thread runs the
/// callbacks, and this type only calls the API functions documented as callable from other
/// threads (disconnect, loop_stop, destroy after the loop stopped).
final class MosquittoClient: @unchecked Sendable {
    private let handle: OpaquePointer
    private let settings: MQTTSettings
    private let contextPointer: UnsafeMutableRawPointer

    init(settings: MQTTSettings, context: MQTTContext) throws {
        guard Mosquitto.initialised else {
            throw GatewayError(.network, "libmosquitto failed to initialise")
        }
        contextPointer = Unmanaged.passRetained(context).toOpaque()
        // clean_session = false: the broker keeps our subscriptions and queued QoS 1 messages.
        guard let handle = mosquitto_new(settings.clientID, false, contextPointer) else {
            Unmanaged<MQTTContext>.fromOpaque(contextPointer).release()
            throw GatewayError(.invalidConfig, "cannot create an MQTT client with client id '\(settings.clientID)'; use a non-empty mqtt.client_id")
        }
        self.handle = handle
        self.settings = settings
        mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5)
        mosquitto_reconnect_delay_set(handle, 1, 30, true)
        if let username = settings.username {
            mosquitto_username_pw_set(handle, username, settings.password)
        }
        mosquitto_connect_v5_callback_set(handle) { mosq, object, rc, _, _ in
            guard let mosq, let object else { return }
            Unmanaged<MQTTContext>.fromOpaque(object).takeUnretainedValue().connected(mosq, rc: rc)
        }
        mosquitto_disconnect_v5_callback_set(handle) { _, object, rc, _ in
            guard let object else { return }
            Unmanaged<MQTTContext>.fromOpaque(object).takeUnretainedValue().disconnected(rc: rc)
        }
        mosquitto_subscribe_v5_callback_set(handle) { _, object, _, count, grantedQoS, _ in
            guard let object else { return }
            let granted = (0..<Int(count)).map { grantedQoS?[$0] ?? 128 }
            Unmanaged<MQTTContext>.fromOpaque(object).takeUnretainedValue().subscribed(granted: granted)
        }
        mosquitto_message_v5_callback_set(handle) { _, object, message, _ in
            guard let object, let message else { return }
            Unmanaged<MQTTContext>.fromOpaque(object).takeUnretainedValue().received(message.pointee)
        }
    }

    /// The first connect blocks on TCP and CONNACK, so it runs on a thread of its own rather
    /// than on Swift's cooperative pool.
    func connectOnOwnThread() async -> Int32 {
        await withCheckedContinuation { continuation in
            let thread = Thread { [self] in
                var properties: OpaquePointer?
                mosquitto_property_add_int32(&properties, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue), settings.sessionExpirySeconds)
                let rc = mosquitto_connect_bind_v5(handle, settings.host, Int32(settings.port), Int32(settings.keepAliveSeconds), nil, properties)
                mosquitto_property_free_all(&properties)
                continuation.resume(returning: rc)
            }
            thread.name = "mqtt-connect"
            thread.start()
        }
    }

    func startLoop() throws {
        let rc = mosquitto_loop_start(handle)
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            throw GatewayError(.network, "cannot start the MQTT network thread: \(Mosquitto.describe(rc))")
        }
    }

    /// Disconnects without ending the session (the broker keeps queueing for us) and stops the thread.
    func disconnectAndStop() {
        mosquitto_disconnect_v5(handle, 0, nil)
        mosquitto_loop_stop(handle, false)
    }

    func destroy() {
        mosquitto_destroy(handle)
        Unmanaged<MQTTContext>.fromOpaque(contextPointer).release()
    }
}
