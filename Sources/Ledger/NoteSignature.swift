/// One signature line of a signed note: `— <name> <base64(keyID(4 bytes, big-endian) || signature)>`.
public struct NoteSignature: Sendable, Hashable {
    public let name: String
    public let keyID: UInt32
    /// The signature bytes after the key ID (64 bytes for Ed25519; other lengths are kept for
    /// signatures of algorithms this module does not verify).
    public let signature: [UInt8]

    public init(name: String, keyID: UInt32, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    /// The line including the leading em dash and the final newline.
    public var line: String {
        let idBytes = (0..<4).map { UInt8(truncatingIfNeeded: keyID >> (24 - 8 * $0)) }
        return "\u{2014} \(name) \(Base64.encode(idBytes + signature))\n"
    }
}
