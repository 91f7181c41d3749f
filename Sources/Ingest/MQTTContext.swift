import CMosquitto
import GatewayCore
import Logging
import Synchronization

/// What libmosquitto's callbacks work on. They all run on libmosquitto's network thread; the
/// mutable state sits behind a `Mutex` anyway so the type is honestly `Sendable`.
final class MQTTContext: Sendable {
    private let settings: MQTTSettings
    private let counters: IngestCounters
    private let logger: Logger
    private let decoder: EnvelopeDecoder

    private struct State {
        var intake: FrameIntake
        var disconnectLog = BurstLogger(quietSeconds: 60)
        var subscribed = false
    }
    private let state: Mutex<State>

    init(settings: MQTTSettings, queue: IngestQueue, counters: IngestCounters, maxDevices: Int, logger: Logger) {
        self.settings = settings
        self.counters = counters
        self.logger = logger
        self.decoder = EnvelopeDecoder(maxBytes: settings.maxPayloadBytes)
        self.state = Mutex(State(intake: FrameIntake(queue: queue, counters: counters, maxDevices: maxDevices, naming: settings.naming, logger: logger)))
    }

    var isSubscribed: Bool { state.withLock { $0.subscribed } }

    func connected(_ mosq: OpaquePointer, rc: Int32) {
        guard rc == 0 else {
            let reason = mosquitto_reason_string(rc).map { String(cString: $0) } ?? "code \(rc)"
            logger.info("MQTT broker refused the connection: \(reason); check mqtt.username, mqtt.password and mqtt.client_id")
            return
        }
        logger.info("MQTT connected", metadata: ["mqtt.broker": "\(settings.host):\(settings.port)"])
        for topic in settings.topics {
            let result = mosquitto_subscribe_v5(mosq, nil, topic, Int32(settings.qos), 0, nil)
            if result != MOSQ_ERR_SUCCESS.rawValue {
                logger.info("MQTT subscribe to \(topic) failed: \(Mosquitto.describe(result))")
            }
        }
    }

    func subscribed(granted: [Int32]) {
        let refused = granted.filter { $0 >= 0x80 }
        state.withLock { $0.subscribed = refused.isEmpty }
        if !refused.isEmpty {
            logger.info("MQTT broker refused a subscription (reason \(refused)); check the topic filters in mqtt.topics and the broker's ACLs")
        }
    }

    func disconnected(rc: Int32) {
        let now = unixMicrosNow()
        state.withLock { state in
            state.subscribed = false
            if rc != 0 {
                state.disconnectLog.report("MQTT connection lost (\(Mosquitto.describe(rc))); reconnecting with backoff", now: now, logger: logger)
            }
        }
    }

    func received(_ message: mosquitto_message) {
        let now = unixMicrosNow()
        counters.countReceived()
        let bytes = UnsafeRawBufferPointer(start: message.payload, count: Int(max(0, message.payloadlen)))
        var output = decoder.decode(bytes, receivedAt: now)
        let topic = message.topic.map { String(cString: $0) } ?? "?"
        if settings.deviceNaming == .topic, let last = topic.split(separator: "/").last, !last.isEmpty {
            for i in output.frames.indices { output.frames[i].device = DeviceID(String(last)) }
            for i in output.paFrames.indices { output.paFrames[i].device = DeviceID(String(last)) }
        }
        state.withLock { state in
            state.intake.reject(output.rejected, origin: "on MQTT topic \(topic)", now: now, metadata: ["mqtt.topic": "\(topic)"])
            state.intake.admit(output, now: now)
        }
    }
}
