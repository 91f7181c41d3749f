import GatewayAPI
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@Suite struct GatewayRouterTests {
    @Test func healthzAnswersOK() async throws {
        let app = Application(router: GatewayRouter.build(registry: PrometheusCollectorRegistry()))
        try await app.test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }

    @Test func metricsExposeRegisteredCounters() async throws {
        let registry = PrometheusCollectorRegistry()
        let counter = registry.makeCounter(name: "gateway_ingest_frames_total", labels: [("source", "udp")])
        counter.increment(by: Int64(42))
        let app = Application(router: GatewayRouter.build(registry: registry))
        try await app.test(.live) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let body = String(buffer: response.body)
                #expect(body.contains(#"gateway_ingest_frames_total{source="udp"} 42"#))
            }
        }
    }

    @Test func unknownRouteIs404() async throws {
        let app = Application(router: GatewayRouter.build(registry: PrometheusCollectorRegistry()))
        try await app.test(.live) { client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
