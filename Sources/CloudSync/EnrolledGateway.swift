import Ledger

/// A gateway allowed to push: its log's origin line and the key its checkpoints must be signed with.
public struct EnrolledGateway: Sendable, Hashable {
    /// The checkpoint origin line (the gateway's name), also the `{origin}` of the URL paths.
    public var origin: String
    public var verifierKey: NoteVerifierKey

    public init(origin: String, verifierKey: NoteVerifierKey) {
        self.origin = origin
        self.verifierKey = verifierKey
    }
}
