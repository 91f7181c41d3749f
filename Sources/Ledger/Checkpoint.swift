/// A C2SP tlog-checkpoint body: origin line, decimal tree size, base64 root hash, then optional
/// extension lines; every line ends in "\n".
public struct Checkpoint: Sendable, Hashable {
    /// The log's identity (for the gateway: its name).
    public let origin: String
    public let size: UInt64
    public let rootHash: Hash
    /// Extension lines without their "\n".
    public let extensionLines: [String]

    public init(origin: String, size: UInt64, rootHash: Hash, extensionLines: [String] = []) throws {
        guard !origin.isEmpty, !origin.utf8.contains(0x0A) else {
            throw LedgerError(.malformedCheckpoint, "checkpoint origin '\(origin)' must be one non-empty line")
        }
        for line in extensionLines where line.isEmpty || line.utf8.contains(0x0A) {
            throw LedgerError(.malformedCheckpoint, "checkpoint extension line '\(line)' must be one non-empty line")
        }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensionLines = extensionLines
    }

    /// The body text, ready to be signed as a note.
    public var body: String {
        var text = "\(origin)\n\(size)\n\(rootHash.base64)\n"
        for line in extensionLines { text += line + "\n" }
        return text
    }

    /// Parses a checkpoint body strictly: at least three lines, each ending in "\n"; non-empty origin;
    /// size in decimal without sign or leading zeros that fits in 64 bits; root hash as padded base64 of
    /// exactly 32 bytes; extension lines non-empty.
    public static func parse(_ body: String) throws -> Checkpoint {
        let bytes = Array(body.utf8)
        guard bytes.last == 0x0A else {
            throw LedgerError(.malformedCheckpoint, "checkpoint body does not end with a newline")
        }
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else {
            throw LedgerError(
                .malformedCheckpoint,
                "checkpoint body has \(lines.count) lines; it needs origin, tree size and root hash lines")
        }
        guard !lines[0].isEmpty else {
            throw LedgerError(.malformedCheckpoint, "checkpoint origin (line 1) is empty")
        }
        guard let size = parseDecimal(lines[1]) else {
            throw LedgerError(
                .malformedCheckpoint,
                "checkpoint tree size (line 2) '\(lines[1])' is not a decimal number without sign or leading zeros below 2^64")
        }
        guard let root = Base64.decode(lines[2]) else {
            throw LedgerError(.malformedCheckpoint, "checkpoint root hash (line 3) '\(lines[2])' is not padded standard base64")
        }
        let rootHash: Hash
        do {
            rootHash = try Hash(validating: root, what: "checkpoint root hash (line 3)")
        } catch let error as LedgerError {
            throw LedgerError(.malformedCheckpoint, error.message, cause: error)
        }
        return try Checkpoint(origin: lines[0], size: size, rootHash: rootHash, extensionLines: Array(lines[3...]))
    }
}

/// Strict unsigned decimal: digits only, no leading zeros (except "0"), at most UInt64.max.
func parseDecimal(_ text: some StringProtocol) -> UInt64? {
    let digits = Array(text.utf8)
    guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    guard digits.count == 1 || digits[0] != 0x30 else { return nil }
    var value: UInt64 = 0
    for d in digits {
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(UInt64(d - 0x30))
        guard !o1, !o2 else { return nil }
        value = sum
    }
    return value
}
