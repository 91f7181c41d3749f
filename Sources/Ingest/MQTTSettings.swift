/// How the gateway subscribes to CSI envelopes on an MQTT broker (config section `mqtt`).
public struct MQTTSettings: Sendable, Equatable {
    public enum DeviceNaming: String, Sendable, Equatable, CaseIterable {
        /// Keep the device_id each frame carries.
        case frame
        /// Name the device after the topic's last level (`csi/<device>`), overriding the frame's id.
        case topic
    }

    public var host = "127.0.0.1"
    public var port = 1883
    /// Also the persistent session's name on the broker: keep it stable across restarts.
    public var clientID = "sensing-gateway"
    public var topics = ["csi/#"]
    public var qos = 1
    /// How long the broker keeps the session (and queues QoS 1 messages) while the gateway is away.
    public var sessionExpirySeconds: UInt32 = 86_400
    public var keepAliveSeconds = 30
    public var username: String?
    public var password: String?
    public var deviceNaming = DeviceNaming.frame
    /// Renames the ids `deviceNaming` produced (see `DeviceNames`).
    public var naming = DeviceNames()
    public var maxPayloadBytes = 65_507

    public init() {}
}
