import Foundation
import GRDB
import GRDBSQLite

/// Runs one cached `INSERT ... VALUES (origin, ?, ..., blob)` many times through the SQLite C API.
///
/// Why not `Statement.execute(arguments:)`: GRDB builds a `StatementArguments` array of boxed
/// values and rebinds every parameter per row, which cost more than SQLite's own insert work at
/// the 2-3 rows per log entry a batch writes (the ingest target is 100,000 entries/s). Here the
/// origin is bound once (bindings survive `sqlite3_reset`), and each row binds only its integers
/// and a blob that SQLite reads in place.
///
/// The statement's first parameter must be the origin, its last the blob, and those in between
/// integers. Use the SQL only through this type: it leaves bindings behind that GRDB does not know.
struct OriginRowInserter {
    private let statement: Statement
    private let connection: OpaquePointer?
    private let integerCount: Int32

    init(db: Database, sql: String, origin: String, integers: Int32) throws {
        statement = try db.cachedStatement(sql: sql)
        connection = db.sqliteConnection
        integerCount = integers
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
        try check(sqlite3_bind_text(handle, 1, origin, -1, transient), "binding the origin")
    }

    /// Inserts `(origin, a, blob)`.
    func insert(_ a: Int64, blob: UnsafeRawBufferPointer) throws {
        try check(sqlite3_bind_int64(statement.sqliteStatement, 2, a), "binding an integer")
        try step(blob: blob)
    }

    /// Inserts `(origin, a, b, blob)`.
    func insert(_ a: Int64, _ b: Int64, blob: UnsafeRawBufferPointer) throws {
        try check(sqlite3_bind_int64(statement.sqliteStatement, 2, a), "binding an integer")
        try check(sqlite3_bind_int64(statement.sqliteStatement, 3, b), "binding an integer")
        try step(blob: blob)
    }

    private func step(blob: UnsafeRawBufferPointer) throws {
        let handle = statement.sqliteStatement
        let index = integerCount + 2
        if let base = blob.baseAddress, blob.count > 0 {
            // SQLITE_STATIC (nil): the caller's bytes stay valid until the step below has copied them.
            try check(sqlite3_bind_blob(handle, index, base, Int32(blob.count), nil), "binding a blob")
        } else {
            try check(sqlite3_bind_zeroblob(handle, index, 0), "binding an empty blob")  // not NULL: an empty entry is valid
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code, "inserting a row") }
        sqlite3_reset(handle)
    }

    private func check(_ code: Int32, _ what: String) throws {
        guard code == SQLITE_OK else { throw failure(code, what) }
    }

    private func failure(_ code: Int32, _ what: String) -> DatabaseError {
        let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "no connection"
        sqlite3_reset(statement.sqliteStatement)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: "\(what): \(message)", sql: statement.sql)
    }
}
