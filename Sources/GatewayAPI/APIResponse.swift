import Foundation
import Hummingbird
import NIOCore

/// JSON responses and query parsing shared by the API's routes.
enum APIResponse {
    /// Runs a handler, turning an ``APIError`` into its status and JSON body and anything else
    /// into a 500 that names the error (errors carry no secrets: tokens never reach a handler).
    static func respond(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as APIError {
            return (try? json(.init(code: error.status), ["error": error.code, "message": error.message]))
                ?? Response(status: .internalServerError)
        } catch {
            return (try? json(.internalServerError, ["error": "internal", "message": "\(error)"]))
                ?? Response(status: .internalServerError)
        }
    }

    static func json(_ status: HTTPResponse.Status, _ object: Any) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return json(status, data: data)
    }

    static func json(_ status: HTTPResponse.Status, data: Data) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A whole-number query parameter from 0 to `max`, or `value` when absent.
    static func number(_ text: String?, name: String, default value: UInt64, max: UInt64) throws -> UInt64 {
        guard let text else { return value }
        guard let number = UInt64(text), number <= max else {
            throw APIError.badRequest("query parameter \(name)=\(text) must be a whole number from 0 to \(max)")
        }
        return number
    }
}
