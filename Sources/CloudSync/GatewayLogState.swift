/// What the cloud holds of one gateway's log: the answer to a batch and to
/// `GET /v1/gateways/{origin}/checkpoint`, sent as `{"origin", "size", "checkpoint"}`.
///
/// `size` 0 with an empty `checkpoint` means the gateway is enrolled but nothing was accepted yet;
/// the gateway resumes by sending entries from index `size` with `previous_size: size`.
public struct GatewayLogState: Sendable, Equatable, Codable {
    public var origin: String
    public var size: UInt64
    /// The signed note of the latest accepted checkpoint, or "".
    public var checkpoint: String

    public init(origin: String, size: UInt64, checkpoint: String) {
        self.origin = origin
        self.size = size
        self.checkpoint = checkpoint
    }

    init(origin: String, accepted: AcceptedCheckpoint?) {
        self.init(origin: origin, size: accepted?.size ?? 0, checkpoint: accepted?.signedNote ?? "")
    }
}
