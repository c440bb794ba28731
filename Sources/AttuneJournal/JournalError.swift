import Foundation
import GRDB

/// Something the journal could not do, with a plain message to show the person.
///
/// Match on ``code``; show ``message``. Messages never contain anything a person wrote.
public struct JournalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable name for each kind of problem, for the host to match on.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No data location could be worked out (no `$ATTUNE_HOME`, `$XDG_DATA_HOME` or `$HOME`).
        public static let noLocation = Code(rawValue: "noLocation")
        /// The journal (or its folder) cannot be written: permissions, a read-only disk, an I/O error.
        public static let notWritable = Code(rawValue: "notWritable")
        /// The disk (or the file-size limit) is full.
        public static let diskFull = Code(rawValue: "diskFull")
        /// This journal was opened read-only (newer, damaged, or not writable): nothing is written.
        public static let readOnly = Code(rawValue: "readOnly")
        /// The journal was written by a newer attune.
        public static let newerVersion = Code(rawValue: "newerVersion")
        /// The journal file is damaged.
        public static let damaged = Code(rawValue: "damaged")
        /// The file is not an SQLite database, or not an attune journal.
        public static let notAJournal = Code(rawValue: "notAJournal")
        /// Another attune kept the journal busy for too long.
        public static let busy = Code(rawValue: "busy")
        /// No session has that number.
        public static let unknownSession = Code(rawValue: "unknownSession")
        /// The session is being run by another attune right now.
        public static let sessionInUse = Code(rawValue: "sessionInUse")
        /// The session has already ended (it cannot take more inputs, or be resumed).
        public static let sessionEnded = Code(rawValue: "sessionEnded")
        /// An export could not be written to the file asked for.
        public static let exportFailed = Code(rawValue: "exportFailed")
        /// A request the journal cannot honour (a programming mistake in the host).
        public static let invalidRequest = Code(rawValue: "invalidRequest")
        /// Any other storage problem.
        public static let storage = Code(rawValue: "storage")
    }

    enum Kind: Hashable, Sendable {
        case noLocation
        case cannotCreateFolder(path: String, reason: String)
        case notWritable(path: String, reason: String)
        case diskFull(path: String)
        case readOnly(because: Reason)
        case newerVersion(path: String, found: Int, supported: Int)
        case damaged(path: String, reason: String)
        case notADatabase(path: String)
        case notAJournal(path: String)
        case busy(path: String)
        case unknownSession(SessionID)
        case sessionInUse(SessionID)
        case sessionEnded(SessionID)
        case exportFailed(path: String, reason: String)
        case invalidRequest(String)
        case storage(path: String, reason: String)

        /// Why a journal is read-only (kept small so the kind stays a value).
        enum Reason: Hashable, Sendable {
            case newerVersion(found: Int, supported: Int)
            case damaged
            case notWritable
            case openedReadOnly
        }
    }

    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    public var code: Code {
        switch kind {
        case .noLocation: .noLocation
        case .cannotCreateFolder, .notWritable: .notWritable
        case .diskFull: .diskFull
        case .readOnly: .readOnly
        case .newerVersion: .newerVersion
        case .damaged: .damaged
        case .notADatabase, .notAJournal: .notAJournal
        case .busy: .busy
        case .unknownSession: .unknownSession
        case .sessionInUse: .sessionInUse
        case .sessionEnded: .sessionEnded
        case .exportFailed: .exportFailed
        case .invalidRequest: .invalidRequest
        case .storage: .storage
        }
    }

    /// What to tell the person, plainly. One or two sentences; no answers, no SQL.
    public var message: String {
        switch kind {
        case .noLocation:
            return "There is no folder to keep your journal in: set ATTUNE_HOME (or HOME) to a folder."
        case .cannotCreateFolder(let path, let reason):
            return "The journal folder \(path) can't be created (\(reason)), so this session won't be saved there."
        case .notWritable(let path, let reason):
            return "Your journal at \(path) can't be saved to right now (\(reason))."
        case .diskFull(let path):
            return "The disk holding your journal at \(path) is full, so attune can't save to it right now."
        case .readOnly(let reason):
            switch reason {
            case .newerVersion:
                return "This journal was written by a newer attune, so this one only reads it and saves nothing to it."
            case .damaged:
                return "This journal looks damaged, so attune only reads it and saves nothing to it."
            case .notWritable:
                return "This journal can be read but not saved to."
            case .openedReadOnly:
                return "This journal was opened for reading only."
            }
        case .newerVersion(let path, let found, let supported):
            return "Your journal at \(path) was written by a newer version of attune (journal version \(found); "
                + "this attune knows up to \(supported)). It is left exactly as it is: you can read it, "
                + "and new sessions won't be saved to it until attune is updated."
        case .damaged(let path, _):
            return "Your journal at \(path) looks damaged, so attune will not write to it and has left it "
                + "exactly as it is. Keeping a copy of the file can help recover what is in it."
        case .notADatabase(let path):
            return "The file \(path) is not an attune journal (it isn't a database attune can read), "
                + "so attune leaves it exactly as it is and won't use it."
        case .notAJournal(let path):
            return "The database \(path) was not made by attune, so attune leaves it exactly as it is and won't use it."
        case .busy(let path):
            return "Another attune kept your journal at \(path) busy for too long."
        case .unknownSession(let id):
            return "There is no session \(id) in your journal."
        case .sessionInUse(let id):
            return "Session \(id) is running in another attune right now."
        case .sessionEnded(let id):
            return "Session \(id) has already ended."
        case .exportFailed(let path, let reason):
            return "The export couldn't be written to \(path) (\(reason)). Nothing there was changed."
        case .invalidRequest(let what):
            return "The journal was asked for something it can't do: \(what)."
        case .storage(let path, let reason):
            return "There was trouble with your journal at \(path) (\(reason))."
        }
    }

    public var description: String { message }

    /// True when the problem is that the journal cannot take writes (full, read-only, gone):
    /// the host keeps the session in memory and offers an export at the end.
    public var isWriteFailure: Bool {
        switch code {
        case .notWritable, .diskFull, .readOnly, .busy, .storage, .damaged, .newerVersion, .notAJournal: true
        default: false
        }
    }
}

extension JournalError {
    /// Maps any error thrown while using the database to a journal error.
    static func from(_ error: any Error, path: String) -> JournalError {
        if let error = error as? JournalError { return error }
        if let error = error as? DatabaseError {
            let reason = error.message ?? "SQLite error \(error.resultCode.rawValue)"
            switch error.resultCode {
            case .SQLITE_FULL:
                return JournalError(.diskFull(path: path))
            case .SQLITE_IOERR:
                // A write, sync or truncate that failed (a full disk under a file-size limit
                // reads as this, as does a failing or vanished disk).
                return JournalError(.notWritable(path: path, reason: "the disk may be full or unavailable"))
            case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
                return JournalError(.notWritable(path: path, reason: reason))
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return JournalError(.busy(path: path))
            case .SQLITE_CORRUPT:
                return JournalError(.damaged(path: path, reason: reason))
            case .SQLITE_NOTADB:
                return JournalError(.notADatabase(path: path))
            default:
                return JournalError(.storage(path: path, reason: reason))
            }
        }
        return JournalError(.storage(path: path, reason: String(describing: type(of: error))))
    }
}

/// The text of `errno` (`strerror`), lower-cased for use inside a sentence.
public func errnoText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    let message = String(cString: text)
    guard let first = message.first else { return "error \(code)" }
    return first.lowercased() + message.dropFirst()
}
