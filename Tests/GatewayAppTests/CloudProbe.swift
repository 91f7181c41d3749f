import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the end-to-end tests ask a running `cloud-sync` (or the gateway's HTTP API) over real
/// HTTP on 127.0.0.1.
enum CloudProbe {
    /// `GET /v1/gateways/{origin}/checkpoint`.
    struct State: Decodable {
        var origin: String
        var size: UInt64
        var checkpoint: String
    }

    /// `GET /v1/gateways/{origin}/entries`.
    struct Listing: Decodable {
        struct Entry: Decodable {
            var index: UInt64
            var bytes_base64: String
        }
        var entries: [Entry]
    }

    /// The decoded body of a 200 answer, or nil (not listening yet, another status, bad JSON).
    static func get<T: Decodable>(_ url: String, as type: T.Type) async -> T? {
        guard let url = URL(string: url), let (data, response) = try? await URLSession.shared.data(from: url),
              (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        return try? JSONDecoder().decode(T.self, from: data)
    }

    /// Status and body text of any answer; status 0 when nothing answered.
    static func request(_ url: String, method: String = "GET", body: String? = nil, token: String? = nil) async -> (status: Int, body: String) {
        guard let url = URL(string: url) else { return (0, "") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.httpBody = body.map { Data($0.utf8) }
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return (0, "") }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// The cloud's URL for one origin's routes (origins contain "/", sent as %2F).
    static func gatewayURL(port: Int, origin: String, _ action: String) -> String {
        "http://127.0.0.1:\(port)/v1/gateways/\(origin.replacingOccurrences(of: "/", with: "%2F"))/\(action)"
    }
}
