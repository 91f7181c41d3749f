import CMosquitto
import Foundation
import Synchronization

/// A QoS 1 publisher on libmosquitto for tests: publishes and waits for every PUBACK.
final class MQTTTestPublisher: @unchecked Sendable {
    private let handle: OpaquePointer
    private let acknowledged = Mutex(0)
    private let connected = Mutex(false)
    private var selfPointer: UnsafeMutableRawPointer?

    init(port: Int, clientID: String = "test-publisher-\(UUID().uuidString.prefix(8))") throws {
        _ = mosquitto_lib_init()
        guard let handle = mosquitto_new(clientID, true, nil) else { throw CancellationError() }
        self.handle = handle
        let pointer = Unmanaged.passUnretained(self).toOpaque()
        selfPointer = pointer
        mosquitto_user_data_set(handle, pointer)
        mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5)
        mosquitto_publish_v5_callback_set(handle) { _, object, _, _, _ in
            guard let object else { return }
            Unmanaged<MQTTTestPublisher>.fromOpaque(object).takeUnretainedValue().acknowledged.withLock { $0 += 1 }
        }
        mosquitto_connect_v5_callback_set(handle) { _, object, rc, _, _ in
            guard let object, rc == 0 else { return }
            Unmanaged<MQTTTestPublisher>.fromOpaque(object).takeUnretainedValue().connected.withLock { $0 = true }
        }
        guard mosquitto_connect_bind_v5(handle, "127.0.0.1", Int32(port), 30, nil, nil) == 0 else { throw CancellationError() }
        mosquitto_loop_start(handle)
        for _ in 0..<200 where !connected.withLock({ $0 }) { usleep(10_000) }
    }

    /// Publishes every payload at QoS 1 and waits (up to 10 s) until the broker acknowledged them all.
    func publish(topic: String, payloads: [[UInt8]]) -> Bool {
        let target = acknowledged.withLock { $0 } + payloads.count
        for payload in payloads {
            _ = payload.withUnsafeBytes { bytes in
                mosquitto_publish_v5(handle, nil, topic, Int32(bytes.count), bytes.baseAddress, 1, false, nil)
            }
        }
        for _ in 0..<1000 {
            if acknowledged.withLock({ $0 }) >= target { return true }
            usleep(10_000)
        }
        return false
    }

    deinit {
        mosquitto_disconnect_v5(handle, 0, nil)
        mosquitto_loop_stop(handle, false)
        mosquitto_destroy(handle)
    }
}
