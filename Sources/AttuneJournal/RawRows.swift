import Foundation
import GRDB
import GRDBSQLite

/// Reads the current row of a GRDB statement straight from SQLite (`sqlite3_column_*`): no
/// `Row` decoding, no intermediate `String` for dates and JSON. Only valid while the cursor
/// that stepped the statement sits on the row.
struct RawRow {
    let statement: SQLiteStatement

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(statement, column) == SQLITE_NULL
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    func int(_ column: Int32) -> Int? {
        isNull(column) ? nil : Int(truncatingIfNeeded: sqlite3_column_int64(statement, column))
    }

    func double(_ column: Int32) -> Double {
        sqlite3_column_double(statement, column)
    }

    /// The column's text as UTF-8 bytes (nil for NULL). The bytes belong to SQLite: they are
    /// valid until the statement steps to the next row, and must not be kept.
    func unsafeBytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        // Text first, then its size, as SQLite's documentation asks. The text of NULL is a
        // null pointer (an empty text is not), so NULL needs no call of its own; a null
        // pointer for a value that is there means SQLite ran out of memory.
        guard let pointer = sqlite3_column_text(statement, column) else {
            return isNull(column) ? nil : UnsafeBufferPointer(start: nil, count: 0)
        }
        let count = Int(sqlite3_column_bytes(statement, column))
        return UnsafeBufferPointer(start: count > 0 ? pointer : nil, count: count)
    }

    /// The column's text as UTF-8 bytes (nil for NULL), valid only inside `body`.
    func withBytes<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        unsafeBytes(column).map(body)
    }

    func string(_ column: Int32) -> String? {
        withBytes(column) { String(decoding: $0, as: UTF8.self) }
    }

    func date(_ column: Int32) -> Date? {
        withBytes(column) { JournalDates.parseStorageBytes($0) } ?? nil
    }

    func values(_ column: Int32) -> [String: JournalValue]? {
        withBytes(column) { JSONText.parseValues(bytes: $0) } ?? nil
    }

    /// Runs `body` on every row of `sql`.
    static func forEach(_ db: Database, sql: String, arguments: StatementArguments, _ body: (RawRow) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        let row = RawRow(statement: statement.sqliteStatement)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while try cursor.next() != nil {
            try body(row)
        }
    }
}
