import Hummingbird
import NIOCore
import Prometheus

/// Builds the gateway's HTTP routes.
///
/// - `GET /healthz`: the process is alive (no auth, no dependencies).
/// - `GET /metrics`: Prometheus text exposition of every swift-metrics counter, gauge and timer.
///
/// - `GET /v1/sync/batches`, `POST /v1/sync/ack`: pull sync, when a provider is given
///   (`sync.mode: pull`; see `SyncPullRoutes`).
///
/// The status, events and proof routes join here as their modules land (see the issues).
public enum GatewayRouter {
    public static func build(
        registry: PrometheusCollectorRegistry, syncPull: (any SyncPullProvider)? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router()
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
        if let syncPull { SyncPullRoutes.add(to: router, provider: syncPull) }
        return router
    }
}
