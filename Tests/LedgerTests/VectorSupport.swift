import Foundation
import Testing

/// The shared test vectors (../shared/data/proofs/vectors.json next to the repository).
struct Vectors: Decodable, Sendable {
    struct Section<Case: Decodable & Sendable>: Decodable, Sendable { let cases: [Case] }

    struct HasherCase: Decodable, Sendable {
        let desc: String
        let kind: String
        let input: String?
        let left: String?
        let right: String?
        let want: String
    }

    struct Tree: Decodable, Sendable {
        let leafInputs: [String]
        let leafHashes: [String]
        let rootsBySize: [String: String]
        let nodeHashesByLevel: [[String]]
    }

    struct InclusionCase: Decodable, Sendable {
        let file: String?
        let desc: String?
        let leafIndex: UInt64
        let treeSize: UInt64
        let leafInput: String?
        let leafHash: String?
        let root: String?
        let proof: [String]
        let wantError: Bool?
    }

    struct ConsistencyCase: Decodable, Sendable {
        let file: String?
        let desc: String?
        let size1: UInt64
        let size2: UInt64
        let root1: String?
        let root2: String?
        let proof: [String]
        let wantError: Bool?
        let implementationDefined: String?
    }

    struct Derived: Decodable, Sendable {
        let inclusion: [InclusionCase]
        let consistency: [ConsistencyCase]
    }

    struct BodyCase: Decodable, Sendable {
        let bodyText: String
        let valid: Bool
        let origin: String?
        let treeSize: UInt64?
        let rootHash: String?
        let extensionText: String?
        let why: String?
    }

    struct Keys: Decodable, Sendable { let keys: [Key] }

    struct Key: Decodable, Sendable {
        let name: String
        let vkey: String
        let keyIdHex: String
        let ed25519PublicKey: String
        let skey: String?
        let ed25519Seed: String?
    }

    struct NoteCase: Decodable, Sendable {
        let desc: String
        let signedNoteText: String
        let noteBodyText: String?
        let verifyWithVkey: String?
        let verifyWithVkeys: [String]?
        let wantValid: Bool
        let origin: String?
        let treeSize: UInt64?
        let rootHash: String?
        let consistencyProofFromSize7: [String]?

        var vkeys: [String] { verifyWithVkeys ?? verifyWithVkey.map { [$0] } ?? [] }
    }

    let hasher: Section<HasherCase>
    let tree: Tree
    let inclusionProofs: Section<InclusionCase>
    let consistencyProofs: Section<ConsistencyCase>
    let inclusionProbes: Section<InclusionCase>
    let consistencyProbes: Section<ConsistencyCase>
    let derivedAllProofsSizes1To8: Derived
    let checkpointBodyParsing: Section<BodyCase>
    let keys: Keys
    let signedNotes: Section<NoteCase>
    let checkpoints: Section<NoteCase>

    static func load() throws -> Vectors {
        // Tests/LedgerTests/<file> -> repository root -> ../shared/data/proofs/vectors.json.
        // Symlinks are resolved so a scratch package that links this directory finds the same file.
        let repoRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = repoRoot.appendingPathComponent("../shared/data/proofs/vectors.json").standardizedFileURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw VectorFileMissing(path: url.path)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Vectors.self, from: Data(contentsOf: url))
    }
}

struct VectorFileMissing: Error, CustomStringConvertible {
    let path: String
    var description: String {
        "test vectors not found at \(path): the Ledger tests need ../shared/data/proofs/vectors.json beside the repository"
    }
}

/// Lowercase or uppercase hex to bytes; records a test issue on malformed input.
func hex(_ text: String) -> [UInt8] {
    let chars = Array(text.utf8)
    guard chars.count % 2 == 0 else {
        Issue.record("odd-length hex '\(text)'")
        return []
    }
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default:
            Issue.record("bad hex digit in '\(text)'")
            return 0
        }
    }
    return stride(from: 0, to: chars.count, by: 2).map { nibble(chars[$0]) << 4 | nibble(chars[$0 + 1]) }
}
