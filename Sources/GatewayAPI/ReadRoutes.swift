import Foundation
import Hummingbird
import NIOCore

/// The read side of the API (role `read`); see `openapi.yaml` beside this file for the shapes.
///
/// - `GET /readyz`: 200 when every readiness check passes, 503 otherwise; the body lists them.
/// - `GET /v1/status`, `GET /v1/devices`: the gateway's state now.
/// - `GET /v1/events?since=&kind=&device=&limit=`, `GET /v1/telemetry?since=&source=&point=&limit=`:
///   stored rows, earliest first; `since` is Unix microseconds or ISO 8601 (`2026-11-22T10:00:00Z`).
/// - `GET /v1/checkpoint`: the latest signed checkpoint (`text/plain`), 404 before the first.
/// - `GET /v1/proofs/{index}`: a tlog-proof@v1 of one log entry (`text/plain`), which
///   `gateway verify` checks offline with the gateway's verifier key.
enum ReadRoutes {
    static let defaultLimit: UInt64 = 1000
    static let maxLimit: UInt64 = 100_000

    static func add(to router: Router<BasicRequestContext>, reader: any GatewayReader) {
        router.get("/readyz") { _, _ -> Response in
            await APIResponse.respond {
                let checks = await reader.readiness()
                let ready = checks.allSatisfy(\.ok)
                let body: [String: Any] = [
                    "ready": ready,
                    "checks": checks.map { ["name": $0.name, "ok": $0.ok, "detail": $0.detail] as [String: Any] },
                ]
                return try APIResponse.json(ready ? .ok : .serviceUnavailable, body)
            }
        }
        router.get("/v1/status") { _, _ -> Response in
            await APIResponse.respond { APIResponse.json(.ok, data: try await reader.status()) }
        }
        router.get("/v1/devices") { _, _ -> Response in
            await APIResponse.respond { APIResponse.json(.ok, data: try await reader.devices()) }
        }
        router.get("/v1/events") { request, _ -> Response in
            await APIResponse.respond {
                let query = request.uri.queryParameters
                let events = APIEventsQuery(
                    since: try time(query["since"].map(String.init)), kind: query["kind"].map(String.init),
                    device: query["device"].map(String.init), limit: try limit(query["limit"].map(String.init)))
                return APIResponse.json(.ok, data: try await reader.events(events))
            }
        }
        router.get("/v1/telemetry") { request, _ -> Response in
            await APIResponse.respond {
                let query = request.uri.queryParameters
                let samples = APITelemetryQuery(
                    since: try time(query["since"].map(String.init)), source: query["source"].map(String.init),
                    point: query["point"].map(String.init), limit: try limit(query["limit"].map(String.init)))
                return APIResponse.json(.ok, data: try await reader.telemetry(samples))
            }
        }
        router.get("/v1/checkpoint") { _, _ -> Response in
            await APIResponse.respond {
                guard let note = try await reader.checkpoint() else {
                    throw APIError.notFound("no checkpoint is signed yet: set ledger.key_file, and wait for ledger.checkpoint_every_seconds")
                }
                return text(note)
            }
        }
        router.get("/v1/proofs/{index}") { _, context -> Response in
            await APIResponse.respond {
                let raw = context.parameters.get("index") ?? ""
                guard let index = UInt64(raw) else {
                    throw APIError.badRequest("proof index '\(raw)' must be a whole number: the log index of the entry")
                }
                return text(try await reader.proof(index: index))
            }
        }
    }

    private static func text(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    private static func limit(_ text: String?) throws -> Int {
        let value = try APIResponse.number(text, name: "limit", default: defaultLimit, max: maxLimit)
        guard value > 0 else { throw APIError.badRequest("query parameter limit must be at least 1") }
        return Int(value)
    }

    /// Unix microseconds, or an ISO 8601 time with or without fractional seconds.
    static func time(_ text: String?) throws -> Int64? {
        guard let text else { return nil }
        if let micros = Int64(text) { return micros }
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
        }
        throw APIError.badRequest("query parameter since=\(text) must be Unix microseconds or an ISO 8601 time such as 2026-11-22T10:00:00Z")
    }
}
