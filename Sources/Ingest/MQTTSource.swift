import CMosquitto
import Foundation
import GatewayCore
import Logging
import ServiceLifecycle
import Synchronization

/// Subscribes to CSI envelopes on an MQTT broker through libmosquitto (MQTT 5, QoS 1,
/// persistent session: clean start off and a session expiry, so messages the broker queued
/// while the gateway was down arrive after a restart).
///
/// libmosquitto runs its own network thread (`mosquitto_loop_start`) and reconnects with
/// exponential backoff (1 s doubling to 30 s). The message callback on that thread only decodes
/// and pushes into the `IngestQueue`, which never blocks; a full queue drops and counts.
///
/// Acknowledgement window: libmosquitto sends PUBACK for a QoS 1 message before it calls the
/// message callback, so from then until the store writer commits (queue wait plus at most
/// `store.commit_interval_ms`, 200 ms by default) the frame exists only in memory. A crash in
/// that window loses those frames; the broker will not resend them. Keep the commit interval
/// short on MQTT gateways; a clean stop (SIGTERM) drains and commits everything first.
public final class MQTTSource: Service, Sendable {
    public let settings: MQTTSettings
    public let counters: IngestCounters
    private let context: MQTTContext
    private let logger: Logger

    public init(settings: MQTTSettings, queue: IngestQueue, counters: IngestCounters, maxDevices: Int = 1024, logger: Logger) {
        self.settings = settings
        self.counters = counters
        self.logger = logger
        self.context = MQTTContext(settings: settings, queue: queue, counters: counters, maxDevices: maxDevices, logger: logger)
    }

    /// True while connected and subscribed (for readiness checks and tests).
    public var isSubscribed: Bool { context.isSubscribed }

    public func run() async throws {
        let client = try MosquittoClient(settings: settings, context: context)
        defer { client.destroy() }
        let rc = await client.connectOnOwnThread()
        if rc != MOSQ_ERR_SUCCESS.rawValue {
            // Not fatal: the network thread keeps retrying with backoff.
            logger.info("MQTT broker \(settings.host):\(settings.port) not reachable yet (\(Mosquitto.describe(rc))); retrying in the background")
        }
        try client.startLoop()
        logger.info("MQTT source started", metadata: [
            "mqtt.broker": "\(settings.host):\(settings.port)", "mqtt.client_id": "\(settings.clientID)",
            "mqtt.topics": "\(settings.topics.joined(separator: ","))",
        ])
        try? await gracefulShutdown()
        client.disconnectAndStop()
        logger.info("MQTT source stopped", metadata: ["mqtt.client_id": "\(settings.clientID)"])
    }
}
