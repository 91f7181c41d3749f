import CloudSync
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Testing

/// Batches a well-behaved gateway sends are stored once, and the state endpoints report them.
@Suite struct BatchAcceptanceTests {
    @Test func firstAndFollowingBatchesAreAcceptedAndTheCheckpointEndpointReturnsTheLatest() async throws {
        var gateway = try GatewayLogFixture(origin: "gw.test/cloud-01")
        try gateway.append(10)
        let first = try gateway.batch(from: 0, to: 10, previous: 0)
        try gateway.append(7)
        let second = try gateway.batch(from: 10, to: 17, previous: 10)
        let origin = gateway.origin
        let entries = gateway.entries
        let root17 = try gateway.tree.rootHash(size: 17)
        let verifierKey = gateway.key.verifierKey

        try await CloudHarness.run(enrolling: [gateway]) { harness, client in
            let before = try await client.get("/v1/gateways/\(pathSegment(origin))/checkpoint")
            #expect(before.status == .ok)
            #expect(before.state == GatewayLogState(origin: origin, size: 0, checkpoint: ""))

            let one = try await client.push(first)
            #expect(one.status == .ok, "\(one.text)")
            #expect(one.state?.size == 10)
            #expect(one.state?.checkpoint == first.checkpoint)

            let two = try await client.push(second)
            #expect(two.status == .ok, "\(two.text)")
            #expect(two.state == GatewayLogState(origin: origin, size: 17, checkpoint: second.checkpoint))

            // The origin may also be sent with raw slashes.
            let latest = try await client.get("/v1/gateways/\(origin)/checkpoint")
            #expect(latest.status == .ok)
            let state = try #require(latest.state)
            #expect(state.size == 17)
            let opened = try Checkpoint.open(state.checkpoint, verifierKeys: [verifierKey], origin: origin)
            #expect(opened.rootHash == root17)

            let held = try await harness.held(origin)
            #expect(held.entries.map(\.bytes) == entries)
            #expect(held.entries.map(\.index) == Array(0..<17))
        }
    }

    @Test func entriesEndpointListsStoredEntriesInIndexOrder() async throws {
        var gateway = try GatewayLogFixture(origin: "gw-entries")
        try gateway.append(12)
        let batch = try gateway.batch(from: 0, to: 12, previous: 0)
        let entries = gateway.entries
        try await CloudHarness.run(enrolling: [gateway]) { _, client in
            #expect(try await client.push(batch).status == .ok)
            let page = try await client.get("/v1/gateways/gw-entries/entries?since=5&limit=4")
            #expect(page.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: page.body) as? [String: Any])
            let listed = try #require(json["entries"] as? [[String: Any]])
            #expect(listed.compactMap { $0["index"] as? Int } == [5, 6, 7, 8])
            #expect(listed.compactMap { ($0["bytes_base64"] as? String).flatMap { Data(base64Encoded: $0) } } == Array(entries[5..<9]))

            let rest = try await client.get("/v1/gateways/gw-entries/entries?since=10")
            #expect((try JSONSerialization.jsonObject(with: rest.body) as? [String: Any])?["entries"].map { ($0 as? [Any])?.count } == 2)

            let bad = try await client.get("/v1/gateways/gw-entries/entries?limit=0")
            #expect(bad.status == .badRequest)
            #expect(bad.error == "bad_request")
            let unknown = try await client.get("/v1/gateways/nobody/entries")
            #expect(unknown.status == .notFound)
            #expect(unknown.error == "unknown_origin")
        }
    }

    @Test func anExactRetryIsAcknowledgedWithoutStoringAnythingTwice() async throws {
        var gateway = try GatewayLogFixture(origin: "gw-retry")
        try gateway.append(8)
        let first = try gateway.batch(from: 0, to: 8, previous: 0)
        try gateway.append(8)
        let second = try gateway.batch(from: 8, to: 16, previous: 8)
        try await CloudHarness.run(enrolling: [gateway]) { harness, client in
            #expect(try await client.push(first).status == .ok)
            #expect(try await client.push(second).status == .ok)
            let before = try await harness.held("gw-retry")

            // The acknowledgement of either batch was lost: the gateway sends it again.
            for retry in [second, first, second] {
                let reply = try await client.push(retry)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(reply.state == before.state)
            }
            let after = try await harness.held("gw-retry")
            #expect(after.state == before.state)
            #expect(after.entries == before.entries)
            #expect(after.entries.count == 16)
        }
    }
}
