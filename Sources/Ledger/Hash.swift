import Crypto
import Foundation

/// A 32-byte SHA-256 value: a leaf hash, an interior node hash or a tree root (RFC 9162 §2.1.1).
///
/// Stored inline (no heap allocation) so a store of millions of nodes stays compact.
public struct Hash: Sendable, Hashable, CustomStringConvertible {
    public static let byteCount = 32

    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Wraps exactly 32 bytes; `what` names the input in the error (e.g. "root hash").
    public init(validating bytes: some Collection<UInt8>, what: String = "hash") throws {
        guard bytes.count == Hash.byteCount else {
            throw LedgerError(
                .invalidHashLength,
                "\(what) is \(bytes.count) bytes; a SHA-256 hash must be exactly 32 bytes")
        }
        Swift.withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: bytes) }
    }

    init(digest: SHA256.Digest) {
        digest.withUnsafeBytes { src in
            Swift.withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) }
        }
    }

    /// Parses standard padded base64 of exactly 32 bytes.
    public init(base64 text: some StringProtocol, what: String = "hash") throws {
        guard let bytes = Base64.decode(text) else {
            throw LedgerError(.invalidHashLength, "\(what) '\(text)' is not valid padded standard base64")
        }
        try self.init(validating: bytes, what: what)
    }

    public var bytes: [UInt8] { Swift.withUnsafeBytes(of: storage) { Array($0) } }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    public var base64: String { Base64.encode(bytes) }

    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    public var description: String { hex }

    public static func == (lhs: Hash, rhs: Hash) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }
}

// RFC 9162 §2.1.1 hashing with domain separation between leaves and interior nodes.
extension Hash {
    /// Root of the empty tree: SHA-256 of the empty string.
    public static let emptyTreeRoot = Hash(digest: SHA256.hash(data: [UInt8]()))

    /// Leaf hash: SHA-256(0x00 || data).
    public static func leaf(_ data: some DataProtocol) -> Hash {
        var sha = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0x00)) { sha.update(bufferPointer: $0) }
        sha.update(data: data)
        return Hash(digest: sha.finalize())
    }

    /// Interior node hash: SHA-256(0x01 || left || right).
    public static func node(_ left: Hash, _ right: Hash) -> Hash {
        var sha = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0x01)) { sha.update(bufferPointer: $0) }
        left.withUnsafeBytes { sha.update(bufferPointer: $0) }
        right.withUnsafeBytes { sha.update(bufferPointer: $0) }
        return Hash(digest: sha.finalize())
    }

    /// SHA-256(0x01 || left || right) over arbitrary byte strings (for hasher test vectors whose
    /// children are not 32 bytes; tree code uses `node(_:_:)`).
    public static func node(leftBytes: some DataProtocol, rightBytes: some DataProtocol) -> Hash {
        var sha = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0x01)) { sha.update(bufferPointer: $0) }
        sha.update(data: leftBytes)
        sha.update(data: rightBytes)
        return Hash(digest: sha.finalize())
    }
}
