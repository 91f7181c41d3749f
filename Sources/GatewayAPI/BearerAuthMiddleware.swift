import Foundation
import Hummingbird
import Metrics
import NIOCore

/// Bearer-token authentication for every route but the open ones (`/healthz`).
///
/// - No `Authorization: Bearer ...` header, or a token that matches no configured digest: 401
///   with `WWW-Authenticate: Bearer realm="sensing-gateway"`.
/// - A token whose role does not cover the request: 403. GET and HEAD need `read`; every other
///   method needs `operator`.
/// - With no tokens configured the middleware lets everything through (the daemon warns at
///   start-up; the API then relies on `http.host` being loopback).
///
/// Failures are counted in `gateway_http_auth_failures_total{reason}` (missing, invalid,
/// forbidden). Neither the presented token nor its digest is ever logged or echoed.
public struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    public let tokens: [APIToken]
    public let openPaths: Set<String>

    public init(tokens: [APIToken], openPaths: Set<String> = ["/healthz"]) {
        self.tokens = tokens
        self.openPaths = openPaths
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !tokens.isEmpty, !openPaths.contains(request.uri.path) else { return try await next(request, context) }
        let needed: APIRole = request.method == .get || request.method == .head ? .read : .operator
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            return refuse(401, "missing", "unauthorized",
                          "this route needs a bearer token: send the header 'Authorization: Bearer <token>' (create one with 'gateway token new')")
        }
        let presented = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard let token = APIToken.match(presented, in: tokens) else {
            return refuse(401, "invalid", "unauthorized",
                          "the bearer token matches none of http.tokens; check the token, or add its digest to the config")
        }
        guard token.role.allows(needed) else {
            return refuse(403, "forbidden", "forbidden",
                          "token '\(token.name)' has role \(token.role.rawValue); \(request.method.rawValue) \(request.uri.path) needs role \(needed.rawValue)")
        }
        return try await next(request, context)
    }

    private func refuse(_ status: Int, _ reason: String, _ code: String, _ message: String) -> Response {
        Counter(label: "gateway_http_auth_failures_total", dimensions: [("reason", reason)]).increment()
        var response = (try? APIResponse.json(.init(code: status), ["error": code, "message": message]))
            ?? Response(status: .init(code: status))
        if status == 401 { response.headers[.wwwAuthenticate] = #"Bearer realm="sensing-gateway""# }
        return response
    }
}
