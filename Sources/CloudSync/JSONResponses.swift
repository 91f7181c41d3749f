import Foundation
import Hummingbird

/// JSON bodies of the cloud-sync API. Keys are sorted and "/" is not escaped, so origins such as
/// `example.com/gw-01` read the same in responses as in paths and configs.
enum JSONResponses {
    struct ErrorBody: Encodable {
        var error: String
        var message: String
    }

    struct EntriesBody: Encodable {
        struct Entry: Encodable {
            var index: UInt64
            var bytesBase64: String

            enum CodingKeys: String, CodingKey {
                case index
                case bytesBase64 = "bytes_base64"
            }
        }

        var entries: [Entry]
    }

    static func ok(_ value: some Encodable) throws -> Response {
        response(.ok, try encoder.encode(value))
    }

    static func entries(_ entries: [StoredEntry]) throws -> Response {
        try ok(EntriesBody(entries: entries.map { .init(index: $0.index, bytesBase64: $0.bytes.base64EncodedString()) }))
    }

    static func error(_ error: CloudSyncError) -> Response {
        let body = (try? encoder.encode(ErrorBody(error: error.code.description, message: error.message)))
            ?? Data(#"{"error":"storage_error","message":"the error could not be encoded"}"#.utf8)
        return response(error.code.status, body)
    }

    private static func response(_ status: HTTPResponse.Status, _ body: Data) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A new encoder per response: cheap next to the request, and no shared mutable state.
    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
