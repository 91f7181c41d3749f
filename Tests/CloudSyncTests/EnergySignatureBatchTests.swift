import CloudSync
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import SensingProto
import Testing

/// Energy signatures travel as signed log entries; `SyncBatch.energy_signatures` is a copy the
/// cloud checks against them, so a copy that differs from what the checkpoint covers is refused.
@Suite struct EnergySignatureBatchTests {
    /// 5 log lines, a signature, 3 lines, a signature: one batch.
    static func gateway() throws -> (GatewayLogFixture, PbSyncBatch) {
        var gateway = try GatewayLogFixture(origin: "gw-energy")
        try gateway.append(5)
        try gateway.appendSignature(device: "node-a", energy: 0.52)
        try gateway.append(3)
        try gateway.appendSignature(device: "node-b", energy: 1.7)
        var batch = try gateway.batch(from: 0, to: 10, previous: 0)
        batch.energySignatures = try PbLogEntry.energySignatures(in: batch.entries)
        return (gateway, batch)
    }

    @Test func theRecordScanFindsExactlyTheSignatureEntries() throws {
        let (_, batch) = try Self.gateway()
        let fields = batch.entries.map { PbLogEntry.recordField(in: $0) }
        #expect(fields == [6, 6, 6, 6, 6, 7, 6, 6, 6, 7])
        #expect(batch.energySignatures.map(\.deviceID) == ["node-a", "node-b"])
        #expect(PbLogEntry.recordField(in: Data([0x0A, 0xFF])) == nil)  // truncated: not a message
    }

    @Test func aBatchWhoseSignaturesMatchItsEntriesIsAccepted() async throws {
        let (gateway, batch) = try Self.gateway()
        try await CloudHarness.run(enrolling: [gateway]) { _, client in
            let reply = try await client.push(batch)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.state?.size == 10)
        }
    }

    @Test(arguments: ["altered", "dropped", "added"])
    func aCopyThatDiffersFromTheSignedEntriesIsRefused(change: String) async throws {
        let (gateway, honest) = try Self.gateway()
        var bad = honest
        switch change {
        case "altered": bad.energySignatures[1].energy = 0.5  // claim the room is calm
        case "dropped": bad.energySignatures.removeLast()
        default: bad.energySignatures.append(bad.energySignatures[0])
        }
        let sent = bad
        try await CloudHarness.run(enrolling: [gateway]) { harness, client in
            let reply = try await client.push(sent, to: gateway.origin)
            #expect(reply.status == .badRequest, "\(reply.text)")
            #expect(reply.error == "malformed_batch")
            #expect(reply.message.contains("energy_signatures"))
            #expect(try await harness.held(gateway.origin).entries.isEmpty)
            #expect(try await client.push(honest).status == .ok)
        }
    }
}
