import GRDB
import GatewayCore

/// Turns GRDB/SQLite errors into ``GatewayError``s whose message names the file, keeps the SQLite
/// result code and says what to do.
enum StoreFailure {
    /// - parameter action: what failed, phrased to precede the path ("cannot open database").
    static func wrap(_ error: any Error, _ action: String, path: String) -> GatewayError {
        if let error = error as? GatewayError { return error }
        guard let error = error as? DatabaseError else {
            return GatewayError(.storage, "\(action) \(path): \(error)", cause: error)
        }
        let code = error.resultCode
        let detail = error.message ?? "\(code)"
        var message = "\(action) \(path): \(detail) (SQLite code \(code.rawValue))."
        if let fix = fix(for: code) { message += " \(fix)" }
        return GatewayError(.storage, message, cause: error)
    }

    static func fix(for code: ResultCode) -> String? {
        switch code {
        case .SQLITE_CANTOPEN:
            return "Check that the directory exists and is writable."
        case .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return "Check that the file and its directory are writable by the gateway's user."
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "Another process holds the database: stop it, or raise the store's busy timeout."
        case .SQLITE_FULL:
            return "The disk is full: free space or lower the storage quotas."
        case .SQLITE_IOERR:
            return "The disk reported an I/O error: check the storage device."
        case .SQLITE_NOTADB:
            return "The file is not a SQLite database: move it away or choose another path."
        case .SQLITE_CORRUPT:
            return "The database file is damaged: restore a backup, or move it away to start a new one."
        case .SQLITE_MISUSE:
            return "The store may already be closed."
        default:
            return nil
        }
    }
}
