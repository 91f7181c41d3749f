import Foundation
import Ledger
import SensingProto
import Testing

/// `gateway replay --key`, `gateway log checkpoint` and `gateway proof` as a user runs them.
@Suite struct LogCommandTests {
    @Test func replaySignsAndAProofOfAnEventVerifiesOffline() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try NoteSignerKey.generate(name: "gw.test/line-3")
        let keyFile = dir.appendingPathComponent("gateway.key").path
        FileManager.default.createFile(atPath: keyFile, contents: Data((key.text + "\n").utf8), attributes: [.posixPermissions: 0o600])
        let capture = dir.appendingPathComponent("walk").path
        let db = dir.appendingPathComponent("gw.sqlite").path
        let sim = try TestSupport.runGateway(["simulate", "--scenario", "empty-walk-empty", "--seconds", "30", "--out", capture])
        #expect(sim.status == 0, "\(sim.stderr)")

        // Before any key: entries are logged, no checkpoint.
        let unsigned = try TestSupport.runGateway(["replay", capture, "--db", db, "--calibrate", "5"])
        #expect(unsigned.status == 0, "\(unsigned.stderr)")
        #expect(unsigned.stdout.contains("no checkpoint (pass --key FILE to sign one)"))
        let none = try TestSupport.runGateway(["log", "checkpoint", "--db", db])
        #expect(none.status != 0)
        #expect(none.stderr.contains("no signed checkpoint"))
        let early = try TestSupport.runGateway(["proof", "--db", db, "--index", "0"])
        #expect(early.status != 0)
        #expect(early.stderr.contains("no checkpoint has been signed yet"))

        let signed = try TestSupport.runGateway(["log", "checkpoint", "--db", db, "--sign", "--key", keyFile])
        #expect(signed.status == 0, "\(signed.stderr)")
        let checkpoint = try Checkpoint.open(signed.stdout, verifierKeys: [key.verifierKey], origin: key.name)
        #expect(checkpoint.size >= 2, "a walk opens and closes at least one event")

        let proofFile = dir.appendingPathComponent("proof.txt").path
        let proof = try TestSupport.runGateway(["proof", "--db", db, "--index", "1", "--out", proofFile])
        #expect(proof.status == 0, "\(proof.stderr)")
        let text = try String(contentsOfFile: proofFile, encoding: .utf8)
        let verified = try TlogProof.verify(text, verifierKeys: [key.verifierKey], origin: key.name)
        let entry = try PbLogEntry(serializedBytes: verified.entry)
        #expect(entry.source == "sim-01")
        #expect(!entry.event.kind.isEmpty)
        #expect(verified.checkpoint == checkpoint)

        // Replaying more with the key signs a checkpoint that extends the first one.
        let again = try TestSupport.runGateway(["replay", capture, "--db", db, "--calibrate", "5", "--key", keyFile, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let entries = try #require(summary["log_entries"] as? Int)
        #expect(entries > Int(checkpoint.size))
        #expect(summary["checkpoint_size"] as? Int == entries)

        let beyond = try TestSupport.runGateway(["proof", "--db", db, "--index", "\(entries)"])
        #expect(beyond.status != 0)
        #expect(beyond.stderr.contains("there is no entry \(entries)"))
    }

    @Test func aMissingOrBadKeyFileIsNamed() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let capture = dir.appendingPathComponent("c").path
        _ = try TestSupport.runGateway(["simulate", "--scenario", "walk", "--seconds", "5", "--out", capture])
        let missing = dir.appendingPathComponent("nope.key").path
        let result = try TestSupport.runGateway(["replay", capture, "--key", missing])
        #expect(result.status != 0)
        #expect(result.stderr.contains("signing key \(missing) does not exist"))
        let bad = dir.appendingPathComponent("bad.key").path
        try "PRIVATE+KEY+x+00000000+AAAA\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let malformed = try TestSupport.runGateway(["replay", capture, "--key", bad])
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("signing key \(bad) is not a note signer key"))
    }
}
