import CloudSync
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Paths that are not routes answer JSON errors, never a crash or an empty 500.
@Suite struct RoutingTests {
    @Test func oddPathsAreJSONErrors() async throws {
        let gateway = try GatewayLogFixture(origin: "gw-routes")
        try await CloudHarness.run(enrolling: [gateway]) { _, client in
            #expect(try await client.get("/healthz").status == .ok)
            for path in ["/v1/gateways/gw-routes", "/v1/gateways//checkpoint", "/v1/gateways/gw-routes/batches",
                         "/v1/gateways/gw-routes/nothing", "/v1/gateways/gw-routes/"] {
                let reply = try await client.get(path)
                #expect(reply.status == .notFound, "\(path): \(reply.text)")
                #expect(reply.error == "not_found", "\(path): \(reply.text)")
            }
            let badEncoding = try await client.get("/v1/gateways/gw%ZZ/checkpoint")
            #expect(badEncoding.status == .badRequest)
            #expect(badEncoding.error == "bad_request")
            let encoded = try await client.get("/v1/gateways/gw%2Droutes/checkpoint")
            #expect(encoded.state?.origin == "gw-routes")
        }
    }
}
