import AsyncHTTPClient
import Foundation
import GatewayCore
import NIOCore
import NIOHTTP1
import Store

/// The cloud sync service's push API as the gateway uses it:
/// `GET /v1/gateways/{origin}/checkpoint` (where to resume) and
/// `POST /v1/gateways/{origin}/batches` (a `SyncBatch` protobuf). Both answer
/// `{"origin", "size", "checkpoint"}`; errors are `{"error": code, "message": ...}`.
struct SyncClient: Sendable {
    struct Acknowledgement: Sendable, Equatable, Decodable {
        var origin: String
        var size: UInt64
        var checkpoint: String
    }

    enum Failure: Error, CustomStringConvertible {
        /// The service answered with an error: its HTTP status, code and message.
        case rejected(status: Int, code: String, message: String)
        /// No usable answer (refused, timed out, not JSON, ...).
        case unreachable(String)

        var description: String {
            switch self {
            case .rejected(let status, let code, let message): "cloud rejected the request (HTTP \(status), \(code)): \(message)"
            case .unreachable(let reason): "cloud sync service unreachable: \(reason)"
            }
        }

        /// Whether the gateway's idea of what the cloud holds may be stale (re-read it).
        var needsResync: Bool {
            if case .rejected(_, let code, _) = self { return ["gap", "stale_previous"].contains(code) }
            return true
        }
    }

    let http: HTTPClient
    let base: String
    let origin: String
    let timeout: TimeAmount

    init(http: HTTPClient, url: String, origin: String, timeoutMillis: Int) {
        self.http = http
        self.base = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.origin = origin
        self.timeout = .milliseconds(Int64(timeoutMillis))
    }

    private var gatewayPath: String {
        base + "/v1/gateways/" + (origin.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? origin)
    }

    func acceptedCheckpoint() async throws -> Acknowledgement {
        var request = HTTPClientRequest(url: gatewayPath + "/checkpoint")
        request.method = .GET
        return try await send(request)
    }

    func push(_ batch: PendingSyncBatch) async throws -> Acknowledgement {
        let body = try batch.protobuf(origin: origin)
        var request = HTTPClientRequest(url: gatewayPath + "/batches")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-protobuf")
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> Acknowledgement {
        let response: HTTPClientResponse
        let data: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            data = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw Failure.unreachable("\(request.method) \(request.url): \(error)")
        }
        let bytes = Data(buffer: data)
        guard response.status == .ok else {
            struct ErrorBody: Decodable { var error: String; var message: String }
            if let body = try? JSONDecoder().decode(ErrorBody.self, from: bytes) {
                throw Failure.rejected(status: Int(response.status.code), code: body.error, message: body.message)
            }
            throw Failure.rejected(status: Int(response.status.code), code: "http_\(response.status.code)",
                                   message: String(decoding: bytes.prefix(300), as: UTF8.self))
        }
        do {
            return try JSONDecoder().decode(Acknowledgement.self, from: bytes)
        } catch {
            throw Failure.unreachable("\(request.url) answered 200 with a body that is not an acknowledgement: \(error)")
        }
    }
}
