/// An offline proof that one entry is in a signed log, in the `c2sp.org/tlog-proof@v1` text layout:
///
///     c2sp.org/tlog-proof@v1
///     extra <base64 of the entry bytes>
///     index <decimal leaf index>
///     <base64 inclusion proof hash, bottom-up, one per line>
///     <blank line>
///     <signed checkpoint note, verbatim>
///
/// The leaf is SHA-256(0x00 || entry bytes); the proof is the RFC 9162 inclusion proof of that leaf
/// in the tree the checkpoint commits to.
public struct TlogProof: Sendable, Hashable {
    public static let header = "c2sp.org/tlog-proof@v1"

    public let entry: [UInt8]
    public let index: UInt64
    public let inclusionProof: [Hash]
    /// The signed checkpoint note text, verbatim.
    public let signedCheckpoint: String

    public init(entry: [UInt8], index: UInt64, inclusionProof: [Hash], signedCheckpoint: String) {
        self.entry = entry
        self.index = index
        self.inclusionProof = inclusionProof
        self.signedCheckpoint = signedCheckpoint
    }

    /// Builds the proof of entry `index` from a tree, for the tree size of the signed checkpoint.
    public init<Store>(entry: [UInt8], index: UInt64, tree: MerkleTree<Store>, checkpoint: Checkpoint, signedCheckpoint: String) throws {
        self.init(
            entry: entry, index: index, inclusionProof: try tree.inclusionProof(index: index, size: checkpoint.size),
            signedCheckpoint: signedCheckpoint)
    }

    public var formatted: String {
        TlogProof.format(entry: entry, index: index, inclusionProof: inclusionProof, signedCheckpoint: signedCheckpoint)
    }

    public static func format(entry: [UInt8], index: UInt64, inclusionProof: [Hash], signedCheckpoint: String) -> String {
        var text = "\(header)\nextra \(Base64.encode(entry))\nindex \(index)\n"
        for hash in inclusionProof { text += hash.base64 + "\n" }
        return text + "\n" + signedCheckpoint
    }

    /// Parses the layout above (no signature or proof checks).
    public static func parse(_ text: String) throws -> TlogProof {
        let bytes = Array(text.utf8)
        guard let blank = firstBlankLine(in: bytes) else {
            throw LedgerError(.malformedProof, "tlog-proof has no blank line before the signed checkpoint")
        }
        let head = bytes[..<blank].split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let note = String(decoding: bytes[(blank + 2)...], as: UTF8.self)
        guard head.count >= 3, head[0] == header else {
            throw LedgerError(.malformedProof, "tlog-proof must start with the lines '\(header)', 'extra ...', 'index ...'")
        }
        guard head[1].hasPrefix("extra "), let entry = Base64.decode(head[1].dropFirst("extra ".count)) else {
            throw LedgerError(.malformedProof, "tlog-proof line 2 '\(head[1])' is not 'extra <base64 entry>'")
        }
        guard head[2].hasPrefix("index "), let index = parseDecimal(head[2].dropFirst("index ".count)) else {
            throw LedgerError(.malformedProof, "tlog-proof line 3 '\(head[2])' is not 'index <decimal>'")
        }
        let hashLines = head.dropFirst(3)
        guard hashLines.count <= 63 else {
            throw LedgerError(.malformedProof, "tlog-proof has \(hashLines.count) proof hashes; at most 63 are possible")
        }
        var proof: [Hash] = []
        for (offset, line) in hashLines.enumerated() {
            do {
                proof.append(try Hash(base64: line, what: "proof hash \(offset)"))
            } catch let error as LedgerError {
                throw LedgerError(.malformedProof, "tlog-proof line \(offset + 4): \(error.message)", cause: error)
            }
        }
        guard !note.isEmpty else {
            throw LedgerError(.malformedProof, "tlog-proof has no signed checkpoint after the blank line")
        }
        return TlogProof(entry: entry, index: index, inclusionProof: proof, signedCheckpoint: note)
    }

    /// Verifies a tlog-proof offline: (1) grammar, (2) checkpoint signatures against `verifierKeys`
    /// and the checkpoint grammar (and `origin`, if given), (3) inclusion of SHA-256(0x00 || entry) at
    /// `index` under the checkpoint's root. The error message starts with the step that failed; the
    /// code is that step's reason (e.g. `.noVerifiedSignature`, `.rootMismatch`).
    public static func verify(
        _ text: String, verifierKeys: [NoteVerifierKey], origin: String? = nil
    ) throws -> (entry: [UInt8], index: UInt64, checkpoint: Checkpoint) {
        let proof: TlogProof
        do {
            proof = try parse(text)
        } catch let error as LedgerError {
            throw error.prefixed("tlog-proof step 1 (parse)")
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint.open(proof.signedCheckpoint, verifierKeys: verifierKeys, origin: origin)
        } catch let error as LedgerError {
            throw error.prefixed("tlog-proof step 2 (signed checkpoint)")
        }
        do {
            try MerkleVerifier.verifyInclusion(
                leafHash: Hash.leaf(proof.entry), index: proof.index, size: checkpoint.size,
                proof: proof.inclusionProof, root: checkpoint.rootHash)
        } catch let error as LedgerError {
            throw error.prefixed("tlog-proof step 3 (inclusion of the entry in checkpoint '\(checkpoint.origin)' size \(checkpoint.size))")
        }
        return (proof.entry, proof.index, checkpoint)
    }

    private static func firstBlankLine(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        for i in 0..<(bytes.count - 1) where bytes[i] == 0x0A && bytes[i + 1] == 0x0A {
            return i
        }
        return nil
    }
}
