import Foundation
import Hummingbird
import NIOCore

/// Pull sync: the cloud sync service fetches the gateway's signed log instead of the gateway
/// pushing it (for sites where only the cloud can open connections).
///
/// - `GET /v1/sync/batches?after=N&limit=M`: 200 with an `application/x-protobuf` `SyncBatch`
///   (the same bytes a push sends: entries from index N up to a signed checkpoint, with the
///   consistency proof from N), or 204 when nothing after N is signed yet.
/// - `POST /v1/sync/ack` with JSON `{"size": N, "destination": "cloud"}` (destination optional,
///   default `cloud`): the destination holds the first N entries. Answers
///   `{"destination", "acknowledged"}`; acknowledgements never move back, so retries are safe.
///
/// Errors are JSON `{"error": code, "message": ...}`.
enum SyncPullRoutes {
    static let defaultLimit = 10_000
    static let maxLimit = 100_000

    static func add(to router: Router<BasicRequestContext>, provider: any SyncPullProvider) {
        router.get("/v1/sync/batches") { request, _ -> Response in
            await APIResponse.respond {
                let query = request.uri.queryParameters
                let after = try APIResponse.number(query["after"].map(String.init), name: "after", default: 0, max: UInt64(Int64.max))
                let limit = try APIResponse.number(query["limit"].map(String.init), name: "limit", default: UInt64(defaultLimit), max: UInt64(maxLimit))
                guard limit > 0 else { throw APIError.badRequest("query parameter limit must be at least 1") }
                guard let bytes = try await provider.batch(after: after, maxEntries: Int(limit)) else {
                    return Response(status: .noContent)
                }
                return Response(status: .ok, headers: [.contentType: "application/x-protobuf"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
        router.post("/v1/sync/ack") { request, _ -> Response in
            await APIResponse.respond {
                struct Ack: Decodable {
                    var size: UInt64
                    var destination: String?
                }
                let body = try await request.body.collect(upTo: 4096)
                let ack: Ack
                do {
                    ack = try JSONDecoder().decode(Ack.self, from: Data(buffer: body))
                } catch {
                    throw APIError.badRequest("the body must be JSON like {\"size\": 1200, \"destination\": \"cloud\"}: \(error)")
                }
                let destination = ack.destination ?? "cloud"
                guard !destination.isEmpty, destination.count <= 200 else {
                    throw APIError.badRequest("destination must be a name of 1 to 200 characters")
                }
                let recorded = try await provider.acknowledge(size: ack.size, destination: destination)
                return try APIResponse.json(.ok, ["destination": destination as Any, "acknowledged": recorded])
            }
        }
    }
}
