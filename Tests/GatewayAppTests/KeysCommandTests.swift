import Foundation
import Ledger
import Testing

/// `gateway keys generate|show` and `gateway verify`, run as a user runs them.
@Suite struct KeysCommandTests {
    static let origin = "sensing.example.com/gateway-01"
    static let entries = (0..<5).map { Array("event \($0): motion on sim-01".utf8) }

    /// Generates a key with the binary; returns the private key file and the printed verifier key.
    static func generate(in dir: URL, name: String = origin, file: String = "log.key") throws -> (path: String, verifier: String) {
        let path = dir.appendingPathComponent(file).path
        let result = try TestSupport.runGateway(["keys", "generate", "--name", name, "--out", path])
        #expect(result.status == 0, "\(result.stderr)")
        return (path, result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A tlog-proof of entry `index` of `entries`, signed by the key in `keyFile`.
    static func proofText(index: UInt64, keyFile: String) throws -> String {
        let keyText = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let signer = try NoteSignerKey(parsing: keyText)
        var tree = MerkleTree<InMemoryNodeStore>()
        for entry in entries { try tree.append(entry: entry) }
        let checkpoint = try Checkpoint(origin: signer.name, size: tree.count, rootHash: tree.rootHash())
        let note = try checkpoint.signedNote(with: [signer])
        return try TlogProof(
            entry: entries[Int(index)], index: index, tree: tree, checkpoint: checkpoint, signedCheckpoint: note
        ).formatted
    }

    static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func generateWritesAnOwnerOnlyKeyWhoseVerifierKeyShowPrints() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("log.key").path
        let result = try TestSupport.runGateway(["keys", "generate", "--name", Self.origin, "--out", path])
        #expect(result.status == 0, "\(result.stderr)")

        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
        let keyText = try String(contentsOfFile: path, encoding: .utf8)
        #expect(keyText.hasPrefix("PRIVATE+KEY+\(Self.origin)+"))
        #expect(keyText.hasSuffix("\n"))
        let signer = try NoteSignerKey(parsing: keyText.trimmingCharacters(in: .newlines))

        let printed = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let verifier = try NoteVerifierKey(parsing: printed)
        #expect(verifier == signer.verifierKey)
        #expect(verifier.name == Self.origin)
        #expect(!result.stdout.contains("PRIVATE"))
        #expect(result.stderr.contains(path))
        #expect(result.stderr.contains("secret"))

        let shown = try TestSupport.runGateway(["keys", "show", "--key", path])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == printed)
        #expect(shown.stderr.isEmpty, "\(shown.stderr)")
    }

    @Test func generateRefusesToOverwriteWithoutForce() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (path, first) = try Self.generate(in: dir)
        let before = try String(contentsOfFile: path, encoding: .utf8)

        let again = try TestSupport.runGateway(["keys", "generate", "--name", Self.origin, "--out", path])
        #expect(again.status != 0)
        #expect(again.stderr.contains(path), "\(again.stderr)")
        #expect(again.stderr.contains("--force"), "\(again.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before)

        let forced = try TestSupport.runGateway(["keys", "generate", "--name", Self.origin, "--out", path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let second = forced.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(second != first)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
        let shown = try TestSupport.runGateway(["keys", "show", "--key", path])
        #expect(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == second)
        // Nothing left behind next to the key.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["log.key"])
    }

    @Test func generateRejectsNamesTheNoteFormatForbids() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["", "my log", "a+b"] {
            let path = dir.appendingPathComponent("k").path
            let result = try TestSupport.runGateway(["keys", "generate", "--name", name, "--out", path])
            #expect(result.status != 0)
            #expect(result.stderr.contains("--name"), "\(result.stderr)")
            #expect(result.stderr.contains("no whitespace and no '+'"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func showNamesAMalformedFileWithoutPrintingTheSecret() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (path, _) = try Self.generate(in: dir)
        let keyText = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .newlines)
        let seed = String(keyText.split(separator: "+").last ?? "")
        // The key hash dropped: the seed (which may contain '+') moves into the hash field.
        let garbled = try Self.write("PRIVATE+KEY+\(Self.origin)+\(seed)\n", "garbled.key", in: dir)
        chmod(garbled, 0o600)
        let result = try TestSupport.runGateway(["keys", "show", "--key", garbled])
        #expect(result.status != 0)
        #expect(result.stderr.contains(garbled), "\(result.stderr)")
        #expect(result.stderr.contains("PRIVATE+KEY+NAME+HASH+BASE64"), "\(result.stderr)")
        for piece in seed.split(separator: "+") where piece.count >= 6 {
            #expect(!result.stderr.contains(piece), "\(result.stderr)")
        }
        #expect(result.stdout.isEmpty)
        // The same with a '+' in the seed for certain: its first part lands where the hash belongs.
        let split = try Self.write("PRIVATE+KEY+\(Self.origin)+SeCrEtSeEdPaRt+AbCd\n", "split.key", in: dir)
        chmod(split, 0o600)
        let splitResult = try TestSupport.runGateway(["keys", "show", "--key", split])
        #expect(splitResult.status != 0)
        #expect(splitResult.stderr.contains(split), "\(splitResult.stderr)")
        #expect(splitResult.stderr.contains("key hash"), "\(splitResult.stderr)")
        #expect(!splitResult.stderr.contains("SeCrEtSeEdPaRt"), "\(splitResult.stderr)")

        let missing = dir.appendingPathComponent("nope.key").path
        let absent = try TestSupport.runGateway(["keys", "show", "--key", missing])
        #expect(absent.status != 0)
        #expect(absent.stderr.contains(missing), "\(absent.stderr)")
        #expect(absent.stderr.contains("gateway keys generate"), "\(absent.stderr)")
    }

    @Test func showWarnsWhenOthersCanReadTheKey() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (path, verifier) = try Self.generate(in: dir)
        chmod(path, 0o644)
        let result = try TestSupport.runGateway(["keys", "show", "--key", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == verifier)
        #expect(result.stderr.contains("chmod 600 \(path)"), "\(result.stderr)")
        #expect(!result.stderr.contains("PRIVATE"))
    }

    @Test func verifyAcceptsAProofByTheKeyGivenAsTextOrFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (keyFile, verifier) = try Self.generate(in: dir)
        let proof = try Self.write(try Self.proofText(index: 2, keyFile: keyFile), "entry2.proof", in: dir)
        let verifierFile = try Self.write(verifier + "\n", "log.pub", in: dir)

        for key in [verifier, verifierFile] {
            let result = try TestSupport.runGateway(["verify", proof, "--key", key])
            #expect(result.status == 0, "\(result.stderr)")
            let key = try NoteVerifierKey(parsing: verifier)
            let label = "\(key.name)+\(String(format: "%08x", key.keyID))"
            #expect(result.stdout.hasPrefix("OK: entry 2 of \(Self.origin) (tree size 5, root "), "\(result.stdout)")
            #expect(result.stdout.contains("is in the log signed by \(label)"), "\(result.stdout)")
        }
        let named = try TestSupport.runGateway(["verify", proof, "--key", verifier, "--origin", Self.origin])
        #expect(named.status == 0, "\(named.stderr)")
        let other = try TestSupport.runGateway(["verify", proof, "--key", verifier, "--origin", "other.example.com/log"])
        #expect(other.status == 1)
        #expect(other.stderr.contains("wrong origin"), "\(other.stderr)")
    }

    @Test func verifyRejectsATamperedEntry() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (keyFile, verifier) = try Self.generate(in: dir)
        let original = try TlogProof.parse(try Self.proofText(index: 1, keyFile: keyFile))
        let tampered = TlogProof(
            entry: Array("event 1: nobody on sim-01".utf8), index: original.index,
            inclusionProof: original.inclusionProof, signedCheckpoint: original.signedCheckpoint)
        let proof = try Self.write(tampered.formatted, "tampered.proof", in: dir)
        let result = try TestSupport.runGateway(["verify", proof, "--key", verifier])
        #expect(result.status == 1)
        #expect(result.stderr.contains("entry not included"), "\(result.stderr)")
        #expect(result.stderr.contains(proof), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func verifyRejectsAProofCheckedWithAnotherKey() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (keyFile, _) = try Self.generate(in: dir)
        // Same log name, different key: only the key hash tells them apart.
        let (_, otherVerifier) = try Self.generate(in: dir, file: "other.key")
        let proof = try Self.write(try Self.proofText(index: 3, keyFile: keyFile), "entry3.proof", in: dir)
        let result = try TestSupport.runGateway(["verify", proof, "--key", otherVerifier])
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown key"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func verifyRejectsAChangedIndex() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (keyFile, verifier) = try Self.generate(in: dir)
        let text = try Self.proofText(index: 2, keyFile: keyFile)
        #expect(text.contains("\nindex 2\n"))

        // Another leaf of the tree: the path recomputes to another root.
        let moved = try Self.write(text.replacingOccurrences(of: "\nindex 2\n", with: "\nindex 3\n"), "moved.proof", in: dir)
        let inside = try TestSupport.runGateway(["verify", moved, "--key", verifier])
        #expect(inside.status == 1)
        #expect(inside.stderr.contains("entry not included"), "\(inside.stderr)")

        // Past the end of the tree the checkpoint commits to.
        let beyond = try Self.write(text.replacingOccurrences(of: "\nindex 2\n", with: "\nindex 9\n"), "beyond.proof", in: dir)
        let outside = try TestSupport.runGateway(["verify", beyond, "--key", verifier])
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("index beyond tree size"), "\(outside.stderr)")
        #expect(outside.stderr.contains("tree size 5"), "\(outside.stderr)")
    }

    @Test func verifyRejectsAForgedCheckpointAndAMalformedProof() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (keyFile, verifier) = try Self.generate(in: dir)
        let text = try Self.proofText(index: 0, keyFile: keyFile)

        // The checkpoint's tree size changed after signing: the signature no longer covers it.
        let forgedText = text.replacingOccurrences(of: "\(Self.origin)\n5\n", with: "\(Self.origin)\n6\n")
        #expect(forgedText != text)
        let forged = try Self.write(forgedText, "forged.proof", in: dir)
        let badSignature = try TestSupport.runGateway(["verify", forged, "--key", verifier])
        #expect(badSignature.status == 1)
        #expect(badSignature.stderr.contains("bad signature"), "\(badSignature.stderr)")

        let junk = try Self.write("hello\n", "junk.proof", in: dir)
        let malformed = try TestSupport.runGateway(["verify", junk, "--key", verifier])
        #expect(malformed.status == 1)
        #expect(malformed.stderr.contains("malformed proof"), "\(malformed.stderr)")
    }

    @Test func verifyRefusesAPrivateKeyWithoutEchoingIt() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (keyFile, _) = try Self.generate(in: dir)
        let proof = try Self.write(try Self.proofText(index: 0, keyFile: keyFile), "p.proof", in: dir)
        let keyText = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .newlines)
        let result = try TestSupport.runGateway(["verify", proof, "--key", keyFile])
        #expect(result.status != 0 && result.status != 1)
        #expect(result.stderr.contains("keys show"), "\(result.stderr)")
        #expect(!result.stderr.contains(keyText))
        #expect(!result.stderr.contains(String(keyText.split(separator: "+").last ?? "PRIVATE")))
    }
}
