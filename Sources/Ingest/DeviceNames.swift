import GatewayCore

/// How one source renames the devices it hears, so that events say "kitchen" rather than
/// "aa:bb:cc:01:02:03", and two sources that see the same MAC or firmware id stay apart.
///
/// Applied by `FrameIntake` after the source's own naming (MQTT's topic naming, a serial port's
/// `device_name`) and before sequence checks, so the stored, validated and detected device is
/// the renamed one. Ids listed in `names` get that name; every other id gets `prefix` in front
/// ("" leaves it as it is).
public struct DeviceNames: Sendable, Equatable {
    /// Id as the frames carry it (a MAC, a firmware device id) -> the name to use.
    public var names: [String: String]
    /// Put before ids that `names` does not list.
    public var prefix: String

    public init(names: [String: String] = [:], prefix: String = "") {
        self.names = names
        self.prefix = prefix
    }

    /// True when nothing is renamed (the common case: the intake then skips the lookup).
    public var isIdentity: Bool { names.isEmpty && prefix.isEmpty }

    /// The name `id` gets.
    public func name(for id: DeviceID) -> DeviceID {
        if let name = names[id.rawValue] { return DeviceID(name) }
        return prefix.isEmpty ? id : DeviceID(prefix + id.rawValue)
    }
}
