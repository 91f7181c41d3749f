import Foundation
import Hummingbird

/// The HTTP routes of the cloud sync service.
///
/// - `POST /v1/gateways/{origin}/batches` (`application/x-protobuf` `SyncBatch`) -> `GatewayLogState`
/// - `GET /v1/gateways/{origin}/checkpoint` -> `GatewayLogState`
/// - `GET /v1/gateways/{origin}/entries?since=N&limit=M` -> `{"entries": [{"index", "bytes_base64"}]}`
/// - `GET /healthz` -> `{"status": "ok"}`
///
/// Origins are checkpoint origin lines and often contain "/" (`example.com/gw-01`), so `{origin}` is
/// everything between `/v1/gateways/` and the last path component, percent-decoded: both
/// `/v1/gateways/example.com%2Fgw-01/batches` and `/v1/gateways/example.com/gw-01/batches` work.
/// Every error is JSON `{"error": code, "message": ...}` with the code's status (`CloudSyncError`).
public enum CloudSyncRouter {
    static let prefix = "/v1/gateways/"
    public static let defaultEntriesLimit = 1000
    public static let maxEntriesLimit = 10_000

    public static func build(mirror: LogMirror) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in try JSONResponses.ok(["status": "ok"]) }
        router.post("/v1/gateways/**") { request, _ in
            await respond {
                let (origin, action) = try route(request)
                guard action == "batches" else { throw notFound(request) }
                let body: ByteBuffer
                do {
                    try checkContentType(request)
                    do {
                        body = try await request.body.collect(upTo: mirror.limits.maxBytes)
                    } catch let error as HTTPResponseError where error.status == .contentTooLarge {
                        throw CloudSyncError(.oversized, "the batch is larger than \(mirror.limits.maxBytes) bytes (limits.max_bytes); split it into smaller batches")
                    }
                } catch let error as CloudSyncError {
                    mirror.logRejected(error, origin: origin)
                    throw error
                }
                let data = body.withUnsafeReadableBytes { Data($0) }
                return try JSONResponses.ok(try await mirror.push(origin: origin, body: data))
            }
        }
        router.get("/v1/gateways/**") { request, _ in
            await respond {
                let (origin, action) = try route(request)
                switch action {
                case "checkpoint":
                    return try JSONResponses.ok(try await mirror.state(origin: origin))
                case "entries":
                    let query = request.uri.queryParameters
                    let since = try number(query["since"].map(String.init), name: "since", default: 0, in: 0...UInt64(Int64.max))
                    let limit = try number(query["limit"].map(String.init), name: "limit", default: UInt64(defaultEntriesLimit),
                                           in: 1...UInt64(maxEntriesLimit))
                    return try JSONResponses.entries(try await mirror.entries(origin: origin, since: since, limit: Int(limit)))
                default:
                    throw notFound(request)
                }
            }
        }
        return router
    }

    /// Runs a handler and turns every failure into a JSON error response.
    private static func respond(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as CloudSyncError {
            return JSONResponses.error(error)
        } catch {
            return JSONResponses.error(CloudSyncError(.storage, "the request failed inside the service (\(error)); retry later", cause: error))
        }
    }

    /// Splits `/v1/gateways/{origin}/{action}`.
    static func route(_ request: Request) throws -> (origin: String, action: String) {
        let path = request.uri.path
        guard path.hasPrefix(prefix) else { throw notFound(request) }
        let rest = path.dropFirst(prefix.count)
        guard let slash = rest.lastIndex(of: "/") else { throw notFound(request) }
        let encoded = rest[..<slash]
        guard !encoded.isEmpty else { throw notFound(request) }
        guard let origin = String(encoded).removingPercentEncoding, !origin.isEmpty else {
            throw CloudSyncError(.badRequest, "the origin '\(encoded)' in the path is not valid percent-encoding; encode it as a URL path segment")
        }
        return (origin, String(rest[rest.index(after: slash)...]))
    }

    static func notFound(_ request: Request) -> CloudSyncError {
        CloudSyncError(.notFound, "\(request.method) \(request.uri.path) is not a route; use POST /v1/gateways/{origin}/batches, GET /v1/gateways/{origin}/checkpoint or GET /v1/gateways/{origin}/entries?since=N&limit=M")
    }

    static func checkContentType(_ request: Request) throws {
        guard let value = request.headers[.contentType] else { return }
        let mediaType = value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard mediaType == "application/x-protobuf" || mediaType == "application/protobuf" || mediaType == "application/octet-stream" else {
            throw CloudSyncError(.malformedBatch, "Content-Type is '\(value)'; a batch is a serialized sensing.v1.SyncBatch sent as application/x-protobuf")
        }
    }

    static func number(_ text: String?, name: String, default value: UInt64, in range: ClosedRange<UInt64>) throws -> UInt64 {
        guard let text else { return value }
        guard let number = UInt64(text), range.contains(number) else {
            throw CloudSyncError(.badRequest, "query parameter \(name)=\(text) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
