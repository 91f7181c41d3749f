import Testing
import Ledger

@Suite("Signed note, key and checkpoint vectors")
struct NoteVectorTests {
    private func code(_ body: () throws -> Void) -> LedgerError.Code? {
        do {
            try body()
            return nil
        } catch let error as LedgerError {
            return error.code
        } catch {
            Issue.record("non-Ledger error \(error)")
            return nil
        }
    }

    @Test func keys() throws {
        let vectors = try Vectors.load()
        for k in vectors.keys.keys {
            let vkey = try NoteVerifierKey(parsing: k.vkey)
            #expect(vkey.name == k.name)
            #expect(String(vkey.keyID, radix: 16).count <= 8)
            #expect(vkey.text == k.vkey, "vkey round trip \(k.name)")
            #expect(vkey.publicKey == hex(k.ed25519PublicKey))
            #expect(try NoteVerifierKey(name: k.name, publicKey: hex(k.ed25519PublicKey)).text == k.vkey)
            #expect(vkey.text.contains("+\(k.keyIdHex)+"))
            if let skeyText = k.skey, let seed = k.ed25519Seed {
                let skey = try NoteSignerKey(parsing: skeyText)
                #expect(skey.text == skeyText)
                #expect(skey.verifierKey.text == k.vkey, "vkey derived from skey \(k.name)")
                #expect(try NoteSignerKey(name: k.name, seed: hex(seed)).text == skeyText)
            }
        }
        #expect(vectors.keys.keys.count == 6)
        #expect(vectors.keys.keys.filter { $0.skey != nil }.count == 3)
    }

    @Test func malformedKeys() throws {
        let good = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
        #expect(code { _ = try NoteVerifierKey(parsing: "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") } == .keyHashMismatch)
        #expect(code { _ = try NoteVerifierKey(parsing: "PeterNeumann+c74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") } == .malformedKey)
        #expect(code { _ = try NoteVerifierKey(parsing: "PeterNeumann+c74f20a3") } == .malformedKey)
        #expect(code { _ = try NoteVerifierKey(parsing: "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") } == .malformedKey)
        #expect(code { _ = try NoteVerifierKey(parsing: "PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") } == .malformedKey)
        #expect(code { _ = try NoteVerifierKey(parsing: "PeterNeumann+c74f20a3+AhpcA2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10") } == .malformedKey)
        #expect(code { _ = try NoteSignerKey(parsing: good) } == .malformedKey)
        // A signer key whose hash was copied from another key.
        #expect(code { _ = try NoteSignerKey(parsing: "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz") } == .keyHashMismatch)
    }

    @Test func signedNotes() throws {
        let vectors = try Vectors.load()
        var valid = 0
        var invalid = 0
        for c in vectors.signedNotes.cases {
            let keys = try c.vkeys.map(NoteVerifierKey.init(parsing:))
            let result = code { _ = try SignedNote.open(c.signedNoteText, verifierKeys: keys) }
            #expect((result == nil) == c.wantValid, "\(c.desc): \(result.map { "\($0)" } ?? "accepted")")
            if c.wantValid {
                valid += 1
                let note = try SignedNote.open(c.signedNoteText, verifierKeys: keys)
                #expect(note.text == c.noteBodyText)
                #expect(note.formatted == c.signedNoteText, "re-formatting is byte-exact")
                #expect(try note.verifiedSignatures(with: keys).count == keys.count)
            } else {
                invalid += 1
            }
        }
        #expect(valid == 3 && invalid == 2)
    }

    @Test func noteOpeningRules() throws {
        let vectors = try Vectors.load()
        let peter = try NoteVerifierKey(parsing: vectors.keys.keys[0].vkey)
        let enoch = try NoteVerifierKey(parsing: vectors.keys.keys[1].vkey)
        let exampleKey = try NoteVerifierKey(parsing: vectors.keys.keys[2].vkey)
        let twoSigs = vectors.signedNotes.cases[1].signedNoteText
        // Unknown signatures are ignored as long as one known signature verifies.
        #expect(code { _ = try SignedNote.open(twoSigs, verifierKeys: [enoch]) } == nil)
        #expect(code { _ = try SignedNote.open(twoSigs, verifierKeys: [exampleKey]) } == .noVerifiedSignature)
        #expect(code { _ = try SignedNote.open(twoSigs, verifierKeys: []) } == .noVerifiedSignature)
        let body = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
        // Malformed: no blank line, no signature, missing final newline, bad prefix, control characters.
        #expect(code { _ = try SignedNote.parse(body) } == .malformedNote)
        #expect(code { _ = try SignedNote.parse(body + "\n") } == .malformedNote)
        let line = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
        #expect(code { _ = try SignedNote.open(body + "\n" + line + "\n", verifierKeys: [peter]) } == nil)
        #expect(code { _ = try SignedNote.parse(body + "\n" + line) } == .malformedNote)
        #expect(code { _ = try SignedNote.parse(body + "\n- PeterNeumann AAAAAAA=\n") } == .malformedNote)
        #expect(code { _ = try SignedNote.parse(body + "\n\u{2014} PeterNeumann AAAA\n") } == .malformedNote)
        #expect(code { _ = try SignedNote.parse("a\rb\n\n" + line + "\n") } == .malformedNote)
        // A signature from the known key name with a different key ID is treated as unknown.
        let otherID = "\u{2014} PeterNeumann AAAAAAAAAAAA\n"
        #expect(code { _ = try SignedNote.open(body + "\n" + otherID, verifierKeys: [peter]) } == .noVerifiedSignature)
    }

    @Test func signAndVerifyWithGeneratedKey() throws {
        let key = try NoteSignerKey.generate(name: "gateway.example/ledger")
        let reparsed = try NoteSignerKey(parsing: key.text)
        #expect(reparsed.verifierKey == key.verifierKey)
        let note = try SignedNote.sign(text: "hello\nworld\n", with: [key])
        let opened = try SignedNote.open(note.formatted, verifierKeys: [key.verifierKey])
        #expect(opened.text == "hello\nworld\n")
        let witness = try NoteSignerKey.generate(name: "witness.example")
        let cosigned = try note.adding(signatureFrom: witness)
        #expect(try SignedNote.open(cosigned.formatted, verifierKeys: [key.verifierKey, witness.verifierKey]).signatures.count == 2)
        #expect(code { _ = try SignedNote.sign(text: "no newline", with: [key]) } == .malformedNote)
    }

    @Test func checkpoints() throws {
        let vectors = try Vectors.load()
        var valid = 0
        var invalid = 0
        for c in vectors.checkpoints.cases {
            let keys = try c.vkeys.map(NoteVerifierKey.init(parsing:))
            let result = code { _ = try Checkpoint.open(c.signedNoteText, verifierKeys: keys) }
            #expect((result == nil) == c.wantValid, "\(c.desc): \(result.map { "\($0)" } ?? "accepted")")
            guard c.wantValid else {
                invalid += 1
                continue
            }
            valid += 1
            let checkpoint = try Checkpoint.open(c.signedNoteText, verifierKeys: keys)
            if let origin = c.origin, let size = c.treeSize, let root = c.rootHash {
                #expect(checkpoint.origin == origin)
                #expect(checkpoint.size == size)
                #expect(checkpoint.rootHash.hex == root)
                _ = try Checkpoint.open(c.signedNoteText, verifierKeys: keys, origin: origin)
            }
            // A verifier configured for another log rejects the checkpoint even though it is signed.
            #expect(code { _ = try Checkpoint.open(c.signedNoteText, verifierKeys: keys, origin: "example.com/other") } == .originMismatch)
            if let proof = c.consistencyProofFromSize7, let old = vectors.tree.rootsBySize["7"] {
                try MerkleVerifier.verifyConsistency(
                    oldSize: 7, newSize: checkpoint.size, oldRoot: Hash(validating: hex(old)), newRoot: checkpoint.rootHash,
                    proof: proof.map { try Hash(validating: hex($0)) })
            }
        }
        #expect(valid == 4 && invalid == 1)
    }

    @Test func checkpointRoundTripWithGeneratedKey() throws {
        let key = try NoteSignerKey.generate(name: "gateway-7")
        let root = Hash.leaf([1, 2, 3])
        let checkpoint = try Checkpoint(origin: "gateway-7", size: 1, rootHash: root, extensionLines: ["ext one"])
        let note = try checkpoint.signedNote(with: [key])
        #expect(try Checkpoint.open(note, verifierKeys: [key.verifierKey], origin: "gateway-7") == checkpoint)
        let other = try NoteSignerKey.generate(name: "gateway-7")
        #expect(code { _ = try Checkpoint.open(note, verifierKeys: [other.verifierKey]) } == .noVerifiedSignature)
        #expect(code { _ = try Checkpoint(origin: "", size: 1, rootHash: root) } == .malformedCheckpoint)
        #expect(code { _ = try Checkpoint(origin: "a", size: 1, rootHash: root, extensionLines: [""]) } == .malformedCheckpoint)
    }
}
