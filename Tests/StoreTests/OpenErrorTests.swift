import Foundation
import GatewayCore
import Store
import Testing

@Suite("Opening errors")
struct OpenErrorTests {
    @Test func missingDirectoryNamesThePathAndTheFix() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/missing/sub/gateway.sqlite"
            let error = #expect(throws: GatewayError.self) { try GatewayStore(path: path) }
            #expect(error?.code == .storage)
            #expect(error?.message.contains(path) == true)
            #expect(error?.message.contains("mkdir -p \(directory)/missing/sub") == true)
            #expect(!FileManager.default.fileExists(atPath: directory + "/missing"))
        }
    }

    @Test func notADatabaseKeepsTheSQLiteCode() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/garbage.sqlite"
            try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: GatewayError.self) { try GatewayStore(path: path) }
            #expect(error?.code == .storage)
            #expect(error?.message.contains(path) == true)
            #expect(error?.message.contains("(SQLite code 26)") == true)
            #expect(error?.cause != nil)
        }
    }

    @Test func negativeRawFrameCapIsAConfigError() async throws {
        try await withTemporaryDirectory { directory in
            let error = #expect(throws: GatewayError.self) {
                try GatewayStore(path: directory + "/g.sqlite", options: StoreOptions(rawFramesMaxBytes: -1))
            }
            #expect(error?.code == .invalidConfig)
        }
    }
}
