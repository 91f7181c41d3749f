import Foundation
import GatewayAPI
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing
import Yams

/// A reader with nothing stored: enough to switch the read routes on for route and auth tests
/// (the routes' data is tested through the real daemon in GatewayAppTests).
struct NothingStoredReader: GatewayReader, SyncPullProvider {
    func readiness() async -> [ReadinessCheck] { [ReadinessCheck(name: "store", ok: true, detail: "empty")] }
    func status() async throws -> Data { Data("{}".utf8) }
    func devices() async throws -> Data { Data("[]".utf8) }
    func events(_ query: APIEventsQuery) async throws -> Data { Data("[]".utf8) }
    func telemetry(_ query: APITelemetryQuery) async throws -> Data { Data("[]".utf8) }
    func checkpoint() async throws -> String? { nil }
    func proof(index: UInt64) async throws -> String { throw APIError.notFound("nothing is signed") }
    func batch(after: UInt64, maxEntries: Int) async throws -> [UInt8]? { nil }
    func acknowledge(size: UInt64, destination: String) async throws -> UInt64 { size }
}

@Suite struct APIContractTests {
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/GatewayAPI/openapi.yaml").standardizedFileURL.path

    /// "GET /v1/events" for every operation the OpenAPI file documents.
    static func documentedRoutes() throws -> Set<String> {
        let text = try String(contentsOfFile: specPath, encoding: .utf8)
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: Any])
        var routes: Set<String> = []
        for (path, value) in paths {
            let operations = try #require(value as? [String: Any], "\(path) has no operations")
            for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                routes.insert("\(method.uppercased()) \(path)")
            }
        }
        return routes
    }

    @Test func theOpenAPIFileListsExactlyTheRoutes() throws {
        let reader = NothingStoredReader()
        let router = GatewayRouter.build(registry: PrometheusCollectorRegistry(), reader: reader, syncPull: reader)
        let served = Set(router.routes.map { "\($0.method) \($0.path)" }.map { route in
            // Hummingbird prints a capture as ":name"; OpenAPI writes "{name}".
            route.split(separator: "/", omittingEmptySubsequences: false).map { part in
                part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
            }.joined(separator: "/")
        })
        let documented = try Self.documentedRoutes()
        #expect(served.subtracting(documented).isEmpty, "served but not in openapi.yaml: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "in openapi.yaml but not served: \(documented.subtracting(served).sorted())")
        #expect(served.count >= 11)
    }

    @Test func everyDocumentedOperationSaysHowItFailsWithoutAToken() throws {
        let text = try String(contentsOfFile: Self.specPath, encoding: .utf8)
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        for (path, operations) in paths where path != "/healthz" {
            for (method, operation) in operations {
                let responses = (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                #expect(responses["401"] != nil, "\(method.uppercased()) \(path) documents no 401")
            }
        }
    }
}
