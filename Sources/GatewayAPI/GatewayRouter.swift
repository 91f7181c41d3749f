import Hummingbird
import NIOCore
import Prometheus

/// Builds the gateway's HTTP routes (the contract is `openapi.yaml` beside this file; a test
/// checks that both list the same routes).
///
/// - `GET /healthz`: the process is alive (no auth, no dependencies).
/// - `GET /metrics`: Prometheus text exposition of every swift-metrics counter, gauge and timer.
/// - `GET /readyz` and the `/v1/...` read routes when a reader is given (`ReadRoutes`).
/// - `GET /v1/sync/batches`, `POST /v1/sync/ack`: pull sync, when a provider is given
///   (`sync.mode: pull`; see `SyncPullRoutes`).
///
/// Every route but `/healthz` needs a bearer token when `tokens` is not empty
/// (`BearerAuthMiddleware`).
public enum GatewayRouter {
    public static func build(
        registry: PrometheusCollectorRegistry, tokens: [APIToken] = [], reader: (any GatewayReader)? = nil,
        syncPull: (any SyncPullProvider)? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: BearerAuthMiddleware(tokens: tokens))
        router.get("/healthz") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        if let reader { ReadRoutes.add(to: router, reader: reader) }
        if let syncPull { SyncPullRoutes.add(to: router, provider: syncPull) }
        return router
    }
}
