import CloudSync
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import SensingProto
import Testing

/// Every way a batch can be wrong is refused with its own code and status, and nothing of it is
/// stored: the state and entries stay as they were, and the honest batch is accepted afterwards.
@Suite struct BatchRejectionTests {
    /// A gateway with 10 accepted entries and the honest next batch (entries 10..<17).
    struct Scenario: Sendable {
        var gateway: GatewayLogFixture
        var first: PbSyncBatch
        var next: PbSyncBatch

        init(origin: String = "gw-reject") throws {
            gateway = try GatewayLogFixture(origin: origin)
            try gateway.append(10)
            first = try gateway.batch(from: 0, to: 10, previous: 0)
            try gateway.append(7)
            next = try gateway.batch(from: 10, to: 17, previous: 10)
        }
    }

    /// Accepts the first batch, sends `bad`, checks the rejection and that nothing changed, then
    /// checks the honest next batch still goes through.
    func expectRejected(
        _ bad: PbSyncBatch, status: HTTPResponse.Status, code: String, scenario: Scenario,
        limits: CloudSyncConfig.Limits = .init(), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await CloudHarness.run(enrolling: [scenario.gateway], limits: limits) { harness, client in
            let origin = scenario.gateway.origin
            #expect(try await client.push(scenario.first).status == .ok, sourceLocation: sourceLocation)
            let before = try await harness.held(origin)
            let reply = try await client.push(bad, to: origin)
            #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
            #expect(reply.error == code, "\(reply.text)", sourceLocation: sourceLocation)
            #expect(!reply.message.isEmpty, sourceLocation: sourceLocation)
            let after = try await harness.held(origin)
            #expect(after.state == before.state, sourceLocation: sourceLocation)
            #expect(after.entries == before.entries, sourceLocation: sourceLocation)
            let honest = try await client.push(scenario.next)
            #expect(honest.status == .ok, "\(honest.text)", sourceLocation: sourceLocation)
            #expect(honest.state?.size == 17, sourceLocation: sourceLocation)
        }
    }

    @Test func aTamperedEntryIsARootMismatch() async throws {
        let scenario = try Scenario()
        var bad = scenario.next
        bad.entries[3][bad.entries[3].count - 1] ^= 0x01
        try await expectRejected(bad, status: .unprocessableContent, code: "root_mismatch", scenario: scenario)
    }

    @Test func aReorderedPairOfEntriesIsARootMismatch() async throws {
        let scenario = try Scenario()
        var bad = scenario.next
        bad.entries.swapAt(2, 3)
        try await expectRejected(bad, status: .unprocessableContent, code: "root_mismatch", scenario: scenario)
    }

    @Test func aDroppedEntryIsARootMismatch() async throws {
        let scenario = try Scenario()
        var bad = scenario.next
        bad.entries.remove(at: 4)
        try await expectRejected(bad, status: .unprocessableContent, code: "root_mismatch", scenario: scenario)
    }

    @Test func aBatchBeyondTheAcceptedSizeIsAGap() async throws {
        let scenario = try Scenario()
        let bad = try scenario.gateway.batch(from: 12, to: 17, previous: 10)
        try await expectRejected(bad, status: .conflict, code: "gap", scenario: scenario)
    }

    @Test func aBatchBuiltOnAnotherPreviousSizeIsStale() async throws {
        let scenario = try Scenario()
        let bad = try scenario.gateway.batch(from: 10, to: 17, previous: 6)
        try await expectRejected(bad, status: .conflict, code: "stale_previous", scenario: scenario)
    }

    @Test func aCheckpointSignedByAnotherKeyIsABadSignature() async throws {
        let scenario = try Scenario()
        // Same name, other key: what someone without the gateway's key can produce.
        let forger = try NoteSignerKey.generate(name: scenario.gateway.origin)
        var bad = scenario.next
        bad.checkpoint = try scenario.gateway.signedCheckpoint(size: 17, signer: forger)
        try await expectRejected(bad, status: .forbidden, code: "bad_signature", scenario: scenario)
    }

    @Test func aSignatureThatDoesNotVerifyIsABadSignature() async throws {
        let scenario = try Scenario()
        var bad = scenario.next
        // The right key's signature line over a changed tree size.
        bad.checkpoint = bad.checkpoint.replacingOccurrences(of: "\n17\n", with: "\n16\n")
        try await expectRejected(bad, status: .forbidden, code: "bad_signature", scenario: scenario)
    }

    @Test func aForkSignedByTheRightKeyIsInconsistent() async throws {
        let scenario = try Scenario()
        // The gateway (its key) rewrote its log: other entries from the start, then pushes on.
        var fork = GatewayLogFixture(sameKeyAs: scenario.gateway)
        try fork.append(17, salt: " (rewritten)")
        let bad = try fork.batch(from: 10, to: 17, previous: 10)
        try await expectRejected(bad, status: .conflict, code: "inconsistent", scenario: scenario)
    }

    @Test func aForkedCheckpointOverHeldEntriesIsInconsistent() async throws {
        let scenario = try Scenario()
        var fork = GatewayLogFixture(sameKeyAs: scenario.gateway)
        try fork.append(10, salt: " (rewritten)")
        let bad = try fork.batch(from: 0, to: 10, previous: 0)
        try await expectRejected(bad, status: .conflict, code: "inconsistent", scenario: scenario)
    }

    @Test func aWrongConsistencyProofIsInconsistent() async throws {
        let scenario = try Scenario()
        var bad = scenario.next
        bad.consistencyProof[0][0] ^= 0x80
        try await expectRejected(bad, status: .conflict, code: "inconsistent", scenario: scenario)
    }

    @Test func anUnknownOriginIsRefused() async throws {
        let scenario = try Scenario()
        var stranger = try GatewayLogFixture(origin: "gw-stranger")
        try stranger.append(3)
        let batch = try stranger.batch(from: 0, to: 3, previous: 0)
        try await CloudHarness.run(enrolling: [scenario.gateway]) { harness, client in
            let reply = try await client.push(batch)
            #expect(reply.status == .notFound)
            #expect(reply.error == "unknown_origin")
            let state = try await client.get("/v1/gateways/gw-stranger/checkpoint")
            #expect(state.status == .notFound)
            #expect(state.error == "unknown_origin")
            await #expect(throws: CloudSyncError.self) { try await harness.held("gw-stranger") }
        }
    }

    @Test func aBatchForAnotherOriginIsAnOriginMismatch() async throws {
        let scenario = try Scenario()
        var other = try GatewayLogFixture(origin: "gw-other")
        try other.append(7)
        // Body origin differs from the path.
        try await expectRejected(try other.batch(from: 0, to: 7, previous: 0), status: .badRequest, code: "origin_mismatch", scenario: scenario)
        // Batch origin matches, but the checkpoint (signed by the right key) is for another log.
        var bad = scenario.next
        bad.checkpoint = try scenario.gateway.signedCheckpoint(size: 17, origin: "gw-other")
        try await expectRejected(bad, status: .badRequest, code: "origin_mismatch", scenario: scenario)
    }

    @Test func tooManyEntriesOrBytesAreOversized() async throws {
        let scenario = try Scenario()
        var limits = CloudSyncConfig.Limits()
        limits.maxEntries = 10  // the first batch has 10
        var tooMany = scenario.next
        tooMany.entries += tooMany.entries.prefix(4)
        try await expectRejected(tooMany, status: .contentTooLarge, code: "oversized", scenario: scenario, limits: limits)

        limits = CloudSyncConfig.Limits()
        limits.maxBytes = 4096
        var tooBig = scenario.next
        tooBig.entries[0] = Data(repeating: 0x2A, count: 5000)
        try await expectRejected(tooBig, status: .contentTooLarge, code: "oversized", scenario: scenario, limits: limits)
    }

    @Test func aBodyThatIsNotProtobufIsMalformed() async throws {
        let scenario = try Scenario()
        try await CloudHarness.run(enrolling: [scenario.gateway]) { harness, client in
            #expect(try await client.push(scenario.first).status == .ok)
            let before = try await harness.held("gw-reject")
            for body in [Array(#"{"origin":"gw-reject","entries":[]}"#.utf8), [0xFF, 0xFF, 0xFF, 0xFF], []] {
                let reply = try await client.push(body: body, to: "gw-reject")
                #expect(reply.status == .badRequest, "\(reply.text)")
                #expect(reply.error == "malformed_batch", "\(reply.text)")
            }
            let wrongType = try await client.push(body: try scenario.next.serializedBytes(), to: "gw-reject", contentType: "application/json")
            #expect(wrongType.error == "malformed_batch")
            var shortProof = scenario.next
            shortProof.consistencyProof[0] = Data(repeating: 1, count: 31)
            let badHash = try await client.push(shortProof)
            #expect(badHash.status == .badRequest)
            #expect(badHash.error == "malformed_batch")
            #expect(try await harness.held("gw-reject") == before)
        }
    }
}
