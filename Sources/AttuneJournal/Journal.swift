import Foundation
import GRDB

/// The journal on disk: an SQLite database (through GRDB) in WAL mode with
/// `synchronous = FULL`, where each input is committed in its own transaction the moment it is
/// given, so an answer confirmed on screen survives `kill -9` and power loss.
///
/// Open it with ``open(at:mode:)``. Before opening for writing, the journal is opened
/// read-only and checked: a journal from a newer attune, or a damaged one, is only ever read,
/// and its bytes never change. Several attune processes can use one journal at once (WAL and
/// a busy timeout of ``busyTimeout`` seconds); "database is locked" never reaches the person.
///
/// All methods are synchronous and safe to call from any thread.
public final class Journal: JournalRecording, Sendable {
    /// How to open a journal.
    public enum Mode: Sendable {
        /// For running sessions: creates the folder and the database when missing.
        case writing
        /// For history, show and export: creates nothing and never writes.
        case readingOnly
    }

    /// How long one attune waits for another that is writing, in seconds.
    public static let busyTimeout: TimeInterval = 10

    public let location: JournalLocation

    /// True when sessions can be saved to this journal.
    public let isWritable: Bool

    /// Something to tell the person, once, about this journal: that it is from a newer attune,
    /// looks damaged, or cannot be written. Nil when all is well (including a journal opened
    /// read-only on purpose).
    public let problem: JournalError?

    /// Nil when there is no journal file yet and it was opened for reading only.
    let database: DatabaseQueue?
    let locks: SessionLocks

    private init(location: JournalLocation, database: DatabaseQueue?, isWritable: Bool, problem: JournalError?) {
        self.location = location
        self.database = database
        self.isWritable = isWritable
        self.problem = problem
        self.locks = SessionLocks(folder: location.lockFolder)
    }

    var path: String { location.databasePath }

    // MARK: - Opening

    /// Opens the journal at the data location that `environment` names (see
    /// ``JournalLocation/resolve(environment:)``).
    public static func open(environment: [String: String], mode: Mode = .writing) throws -> Journal {
        try open(at: JournalLocation.resolve(environment: environment), mode: mode)
    }

    /// Opens the journal at `location`.
    ///
    /// - For writing: checks an existing journal read-only first. A newer or damaged journal,
    ///   or one that cannot be written, comes back read-only with ``problem`` set; the session
    ///   can still run with a ``SessionRecorder`` keeping it in memory.
    /// - Throws a ``JournalError`` when there is nothing usable at all: the file is not a
    ///   database or not an attune journal (`.notAJournal`, left untouched), or no journal
    ///   exists and none can be created (`.notWritable`, `.diskFull`).
    public static func open(at location: JournalLocation, mode: Mode = .writing) throws -> Journal {
        let path = location.databasePath
        let hasContent = (FileSystem.size(path) ?? 0) > 0 || (FileSystem.size(path + "-wal") ?? 0) > 0

        var problem: JournalError?
        if hasContent {
            // The integrity check reads every page (about 0.1 s for ten thousand sessions):
            // worth it before writing, not for reading (a damaged page then fails the read).
            switch try inspect(path, checkingIntegrity: mode == .writing) {
            case .fine: break
            case .newer(let found):
                problem = JournalError(.newerVersion(path: path, found: found, supported: AttuneJournal.schemaVersion))
            case .damaged(let reason):
                problem = JournalError(.damaged(path: path, reason: reason))
            }
        }

        if mode == .readingOnly || problem != nil {
            // No file, or an empty one (nothing was ever written): a journal with no sessions.
            guard FileSystem.exists(path), hasContent || problem != nil else {
                return Journal(location: location, database: nil, isWritable: false, problem: nil)
            }
            return Journal(location: location, database: try openReadOnly(path), isWritable: false, problem: problem)
        }

        do {
            return try openForWriting(location)
        } catch let error as JournalError where hasContent && error.isWriteFailure {
            // It can be read but not written (a read-only folder, a full disk): keep history
            // and export working, and say why nothing will be saved.
            let reader = try openReadOnly(path)
            return Journal(location: location, database: reader, isWritable: false, problem: error)
        }
    }

    private enum Inspection {
        case fine
        case newer(found: Int)
        case damaged(reason: String)
    }

    /// Opens the file read-only and checks it: integrity (`PRAGMA quick_check`), that it is an
    /// attune journal, and its schema version. Never writes.
    private static func inspect(_ path: String, checkingIntegrity: Bool) throws -> Inspection {
        // Another attune may be setting up this journal right now (GRDB creates its migrations
        // table, then migrates, in separate steps): a look that lands in between can fail with
        // a schema error. Look again a few times before believing it.
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try inspectOnce(path, checkingIntegrity: checkingIntegrity)
            } catch let error as JournalError where error.code == .storage && attempt < 5 {
                usleep(20_000)
            }
        }
    }

    private static func inspectOnce(_ path: String, checkingIntegrity: Bool) throws -> Inspection {
        let reader: DatabaseQueue
        do {
            reader = try openReadOnly(path)
        } catch let error as JournalError where error.code == .damaged {
            return .damaged(reason: error.kind.detail)
        }
        do {
            return try reader.read { db -> Inspection in
                if checkingIntegrity {
                    let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                    if check != ["ok"] {
                        return .damaged(reason: check.prefix(3).joined(separator: "; "))
                    }
                }
                // A database with tables or migrations but not attune's first migration is
                // someone else's (another program's, or another GRDB application's): not ours
                // to touch. An empty `grdb_migrations` table alone is a journal another attune
                // is setting up this very moment (GRDB creates it before the first migration).
                let migrator = Schema.migrator()
                let tables = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM sqlite_master
                    WHERE type = 'table' AND name NOT IN ('grdb_migrations', 'sqlite_sequence')
                    """) ?? 0
                let applied = try migrator.appliedIdentifiers(db)
                if tables > 0 || !applied.isEmpty, !applied.contains(Schema.firstMigration) {
                    throw JournalError(.notAJournal(path: path))
                }
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let superseded = try migrator.hasBeenSuperseded(db)
                if version > AttuneJournal.schemaVersion || superseded {
                    return .newer(found: max(version, AttuneJournal.schemaVersion + 1))
                }
                return .fine
            }
        } catch {
            let failure = JournalError.from(error, path: path)
            if failure.code == .damaged { return .damaged(reason: failure.kind.detail) }
            throw failure
        }
    }

    private static func openReadOnly(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "attune journal (reading)"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw JournalError.from(error, path: path)
        }
    }

    private static func openForWriting(_ location: JournalLocation) throws -> Journal {
        let path = location.databasePath
        try FileSystem.ensureFolder(location.folder)
        try FileSystem.createPrivateFile(path)

        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "attune journal"
        configuration.prepareDatabase { db in
            // synchronous = FULL: a commit is on disk (the WAL fsynced) before it returns.
            // temp_store = MEMORY: sorts and temporary tables never touch disk.
            // secure_delete: deleted sessions and cleared drafts are overwritten with zeros.
            try db.execute(sql: """
                PRAGMA synchronous = FULL;
                PRAGMA temp_store = MEMORY;
                PRAGMA secure_delete = ON;
                """)
            let journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            guard journalMode?.lowercased() == "wal" else {
                throw JournalError(.notWritable(path: path, reason: "the file system does not allow write-ahead logging"))
            }
        }
        let writer: DatabaseQueue
        do {
            // GRDB checks and applies migrations in separate transactions, and a new file is
            // switched to WAL on first open: two attune processes setting up a new journal at
            // the same moment would trip over each other. So opening for writing happens under
            // a lock (held for a few milliseconds): the second waits, then finds it all done.
            let migrator = Schema.migrator()
            try FileSystem.ensureFolder(location.lockFolder)
            writer = try withFileLock(location.lockFolder + "/journal.lock", timeout: busyTimeout) {
                let writer = try DatabaseQueue(path: path, configuration: configuration)
                if try !writer.read(migrator.hasCompletedMigrations) {
                    try migrator.migrate(writer)
                }
                return writer
            }
            // Someone newer may have migrated it between the check and now.
            let superseded = try writer.read { db in
                try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 > AttuneJournal.schemaVersion
                    || Schema.migrator().hasBeenSuperseded(db)
            }
            if superseded {
                try writer.close()
                return Journal(
                    location: location,
                    database: try openReadOnly(path),
                    isWritable: false,
                    problem: JournalError(.newerVersion(
                        path: path, found: AttuneJournal.schemaVersion + 1, supported: AttuneJournal.schemaVersion))
                )
            }
        } catch {
            throw JournalError.from(error, path: path)
        }
        for companion in ["", "-wal", "-shm"] {
            FileSystem.makePrivate(path + companion)
        }
        return Journal(location: location, database: writer, isWritable: true, problem: nil)
    }

    // MARK: - Access helpers

    /// Runs `body` in an IMMEDIATE transaction (the write lock taken up front, so the busy
    /// timeout applies and a read never has to be upgraded).
    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard isWritable, let database else {
            throw problem ?? JournalError(.readOnly(because: .openedReadOnly))
        }
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw JournalError(.invalidRequest("a write that returned nothing")) }
                return result
            }
        } catch {
            throw JournalError.from(error, path: path)
        }
    }

    private func read<T>(empty: T, _ body: (Database) throws -> T) throws -> T {
        guard let database else { return empty }
        do {
            return try database.read(body)
        } catch {
            throw JournalError.from(error, path: path)
        }
    }

    /// Checks that `session` is running and run by this journal.
    private func requireOwned(_ db: Database, _ session: SessionID) throws {
        guard let status = try String.fetchOne(db, sql: "SELECT status FROM session WHERE id = ?", arguments: [session.rawValue]) else {
            throw JournalError(.unknownSession(session))
        }
        guard status == SessionStatus.running.rawValue else { throw JournalError(.sessionEnded(session)) }
        guard locks.holds(session.rawValue) else { throw JournalError(.sessionInUse(session)) }
    }

    // MARK: - Recording

    /// Starts a session and returns its number. The session is `running` and owned by this
    /// journal until ``finish(session:status:finalValues:endedAt:)``.
    public func startSession(
        exerciseID: String,
        title: String,
        contentHash: String,
        lastSnapshot: [String: JournalValue],
        startedAt: Date
    ) throws -> SessionID {
        var acquired: Int64?
        do {
            return try write { db in
                try db.execute(
                    sql: """
                        INSERT INTO session (exercise_id, exercise_title, content_hash, started_at, status, last_snapshot)
                        VALUES (?, ?, ?, ?, 'running', ?)
                        """,
                    arguments: [exerciseID, title, contentHash, JournalDates.storageText(startedAt), JSONText.values(lastSnapshot)]
                )
                let id = db.lastInsertedRowID
                // Take the lock before the row is visible to anyone else.
                guard try locks.acquire(id) else { throw JournalError(.sessionInUse(SessionID(id))) }
                acquired = id
                return SessionID(id)
            }
        } catch {
            if let acquired { locks.release(acquired, removingFile: true) }
            throw error
        }
    }

    /// Commits one input, in its own transaction, before returning: once this returns, the
    /// input is on disk. Returns its sequence number in the session (1, 2, 3, ...).
    ///
    /// An `answer` or `skip` also clears the session's draft: the half-typed text has been
    /// replaced by what was given.
    @discardableResult
    public func record(_ input: JournalInput, session: SessionID) throws -> Int {
        try write { db in
            try requireOwned(db, session)
            let last = try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM input WHERE session_id = ?", arguments: [session.rawValue])
            let sequence = (last ?? 0) + 1
            try db.execute(
                sql: """
                    INSERT INTO input (session_id, seq, kind, text, moment, given_at, instruction, line, statement, variable, prompt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.rawValue, sequence, input.kind.rawValue, input.text, input.moment,
                    JournalDates.storageText(input.givenAt), input.instruction, input.line,
                    input.statement?.rawValue, input.variable, input.prompt,
                ]
            )
            if input.kind == .answer || input.kind == .skip {
                try db.execute(sql: "DELETE FROM draft WHERE session_id = ?", arguments: [session.rawValue])
            }
            return sequence
        }
    }

    /// Keeps a half-typed answer, replacing any earlier draft of the session.
    public func saveDraft(_ draft: JournalDraft, session: SessionID) throws {
        try write { db in
            try requireOwned(db, session)
            try db.execute(
                sql: """
                    INSERT INTO draft (session_id, instruction, variable, prompt, text, saved_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (session_id) DO UPDATE SET
                      instruction = excluded.instruction, variable = excluded.variable, prompt = excluded.prompt,
                      text = excluded.text, saved_at = excluded.saved_at
                    """,
                arguments: [
                    session.rawValue, draft.instruction, draft.variable, draft.prompt, draft.text,
                    JournalDates.storageText(draft.savedAt),
                ]
            )
        }
    }

    /// Removes the session's draft, if it has one.
    public func clearDraft(session: SessionID) throws {
        try write { db in
            try requireOwned(db, session)
            try db.execute(sql: "DELETE FROM draft WHERE session_id = ?", arguments: [session.rawValue])
        }
    }

    /// Keeps the exercise's closing words (`@reflect`) as shown.
    public func saveReflection(_ text: String, session: SessionID) throws {
        try write { db in
            try requireOwned(db, session)
            try db.execute(sql: "UPDATE session SET reflection = ? WHERE id = ?", arguments: [text, session.rawValue])
        }
    }

    /// Ends a session as `finished` or `stopped`, with its variables' final values. This
    /// journal lets go of the session even when the write fails: it then stays in the journal
    /// as an interrupted session, which can be resumed.
    public func finish(session: SessionID, status: SessionStatus, finalValues: [String: JournalValue], endedAt: Date) throws {
        guard status != .running else {
            throw JournalError(.invalidRequest("finishing a session as running"))
        }
        defer { locks.release(session.rawValue, removingFile: true) }
        try write { db in
            try requireOwned(db, session)
            try db.execute(
                sql: "UPDATE session SET status = ?, final_values = ?, ended_at = ? WHERE id = ?",
                arguments: [status.rawValue, JSONText.values(finalValues), JournalDates.storageText(endedAt), session.rawValue]
            )
        }
    }

    /// Takes over a stopped or interrupted session to go on with it: it is `running` again,
    /// owned by this journal, and comes back in full (inputs to replay, and the draft).
    public func resume(session: SessionID) throws -> JournalSession {
        var acquired = false
        do {
            return try write { db in
                guard let status = try String.fetchOne(db, sql: "SELECT status FROM session WHERE id = ?", arguments: [session.rawValue]) else {
                    throw JournalError(.unknownSession(session))
                }
                if status == SessionStatus.finished.rawValue { throw JournalError(.sessionEnded(session)) }
                if locks.holds(session.rawValue) { throw JournalError(.sessionInUse(session)) }
                guard try locks.acquire(session.rawValue) else { throw JournalError(.sessionInUse(session)) }
                acquired = true
                try db.execute(
                    sql: "UPDATE session SET status = 'running', ended_at = NULL WHERE id = ?",
                    arguments: [session.rawValue]
                )
                guard let full = try Self.fetchSessions(db, filter: "s.id = ?", arguments: [session.rawValue]).first else {
                    throw JournalError(.unknownSession(session))
                }
                return full
            }
        } catch {
            if acquired { locks.release(session.rawValue, removingFile: false) }
            throw error
        }
    }

    /// Removes a session, its inputs and its draft for good (the freed space is overwritten
    /// and the write-ahead log emptied). A session another attune is running is refused.
    public func delete(session: SessionID) throws {
        let ownsIt = locks.holds(session.rawValue)
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE id = ?", arguments: [session.rawValue]) != nil else {
                throw JournalError(.unknownSession(session))
            }
            if !ownsIt, locks.isRunningSomewhere(session.rawValue) {
                throw JournalError(.sessionInUse(session))
            }
            try db.execute(sql: "DELETE FROM session WHERE id = ?", arguments: [session.rawValue])
        }
        if ownsIt { locks.release(session.rawValue, removingFile: true) }
        // Old page images of the deleted rows live in the WAL until a checkpoint: copy them
        // out (already zeroed by secure_delete) and truncate the log. Best effort: a reader in
        // another attune can hold it back, and the next checkpoint finishes the job.
        try? database?.writeWithoutTransaction { db in
            _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    // MARK: - Reading

    /// The final values of the most recent *finished* session of an exercise (for `last.v`);
    /// empty when there is none.
    public func lastValues(exerciseID: String) throws -> [String: JournalValue] {
        try read(empty: [:]) { db in
            let json = try String.fetchOne(
                db,
                sql: """
                    SELECT final_values FROM session
                    WHERE exercise_id = ? AND status = 'finished' AND final_values IS NOT NULL
                    ORDER BY ended_at DESC, id DESC LIMIT 1
                    """,
                arguments: [exerciseID]
            )
            return json.flatMap(JSONText.parseValues) ?? [:]
        }
    }

    /// One session in full, or nil when no session has that number.
    public func session(id: SessionID) throws -> JournalSession? {
        try read(empty: nil) { db in
            try fetchSessionsMarkingInterrupted(db, filter: "s.id = ?", arguments: [id.rawValue]).first
        }
    }

    /// The session to resume: the most recently stopped or interrupted one (of an exercise,
    /// when given); nil when there is none. A session another attune is running is never it.
    public func mostRecentStopped(exercise: String? = nil) throws -> JournalSessionSummary? {
        try read(empty: nil) { db in
            var sql = """
                \(Self.summarySelect),
                  COALESCE(s.ended_at, (SELECT MAX(given_at) FROM input WHERE session_id = s.id), s.started_at) AS activity
                FROM session s WHERE s.status IN ('stopped', 'running')
                """
            var arguments: StatementArguments = []
            if let exercise {
                sql += " AND s.exercise_id = ?"
                arguments += [exercise]
            }
            sql += " ORDER BY activity DESC, s.id DESC"
            var found: JournalSessionSummary?
            let statement = try db.makeStatement(sql: sql)
            let row = RawRow(statement: statement.sqliteStatement)
            let cursor = try Row.fetchCursor(statement, arguments: arguments)
            while try cursor.next() != nil {
                var summary = Self.summary(row)
                if summary.status == .running {
                    if locks.isRunningSomewhere(summary.id.rawValue) { continue }
                    summary.isInterrupted = true
                }
                found = summary
                break
            }
            return found
        }
    }

    /// Sessions for history, oldest first: all of them, or one exercise's, started on or after
    /// `since`.
    public func sessions(exercise: String? = nil, since: Date? = nil) throws -> [JournalSessionSummary] {
        try read(empty: []) { db in
            let (filter, arguments) = Self.filter(exercise: exercise, since: since)
            var summaries: [JournalSessionSummary] = []
            var positions: [Int64: Int] = [:]
            try RawRow.forEach(
                db,
                sql: """
                    SELECT s.id, s.exercise_id, s.exercise_title, s.started_at, s.ended_at, s.status
                    FROM session s WHERE \(filter) ORDER BY s.started_at, s.id
                    """,
                arguments: arguments
            ) { row in
                let status = Self.status(row.string(5))
                let id = row.int64(0)
                positions[id] = summaries.count
                summaries.append(JournalSessionSummary(
                    id: SessionID(id), exerciseID: row.string(1) ?? "", exerciseTitle: row.string(2) ?? "",
                    startedAt: row.date(3) ?? Date(timeIntervalSince1970: 0), endedAt: row.date(4), status: status,
                    isInterrupted: status == .running && !locks.isRunningSomewhere(id),
                    firstRating: nil, lastRating: nil, ratingCount: 0
                ))
            }
            // The ratings, from their own small index, in the order given.
            try RawRow.forEach(
                db,
                sql: """
                    SELECT session_id, text FROM input
                    WHERE kind = 'answer' AND statement = 'rate' AND \(Self.sessionCondition(filter))
                    ORDER BY session_id, seq
                    """,
                arguments: filter == "1" ? [] : arguments
            ) { row in
                guard let position = positions[row.int64(0)], let rating = row.string(1).flatMap({ Int64($0) }) else { return }
                if summaries[position].firstRating == nil { summaries[position].firstRating = rating }
                summaries[position].lastRating = rating
                summaries[position].ratingCount += 1
            }
            return summaries
        }
    }

    /// Sessions in full (for export), oldest first, filtered as ``sessions(exercise:since:)``.
    public func fullSessions(exercise: String? = nil, since: Date? = nil) throws -> [JournalSession] {
        try read(empty: []) { db in
            let (filter, arguments) = Self.filter(exercise: exercise, since: since)
            return try fetchSessionsMarkingInterrupted(db, filter: filter, arguments: arguments)
        }
    }

    // MARK: - Queries

    private static func filter(exercise: String?, since: Date?) -> (String, StatementArguments) {
        var clauses = ["1"]
        var arguments: StatementArguments = []
        if let exercise {
            clauses.append("s.exercise_id = ?")
            arguments += [exercise]
        }
        if let since {
            clauses.append("s.started_at >= ?")
            arguments += [JournalDates.storageText(since)]
        }
        return (clauses.joined(separator: " AND "), arguments)
    }

    private static let summarySelect = """
        SELECT s.id, s.exercise_id, s.exercise_title, s.started_at, s.ended_at, s.status,
          (SELECT text FROM input WHERE session_id = s.id AND kind = 'answer' AND statement = 'rate' ORDER BY seq LIMIT 1),
          (SELECT text FROM input WHERE session_id = s.id AND kind = 'answer' AND statement = 'rate' ORDER BY seq DESC LIMIT 1),
          (SELECT COUNT(*) FROM input WHERE session_id = s.id AND kind = 'answer' AND statement = 'rate')
        """

    private static func status(_ text: String?) -> SessionStatus {
        // A status from a newer attune (read-only) reads as stopped: kept, never resumed as finished.
        text.flatMap(SessionStatus.init(rawValue:)) ?? .stopped
    }

    private static func summary(_ row: RawRow) -> JournalSessionSummary {
        JournalSessionSummary(
            id: SessionID(row.int64(0)),
            exerciseID: row.string(1) ?? "",
            exerciseTitle: row.string(2) ?? "",
            startedAt: row.date(3) ?? Date(timeIntervalSince1970: 0),
            endedAt: row.date(4),
            status: status(row.string(5)),
            isInterrupted: false,
            firstRating: row.string(6).flatMap { Int64($0) },
            lastRating: row.string(7).flatMap { Int64($0) },
            ratingCount: row.int(8) ?? 0
        )
    }

    private func fetchSessionsMarkingInterrupted(_ db: Database, filter: String, arguments: StatementArguments) throws -> [JournalSession] {
        var sessions = try Self.fetchSessions(db, filter: filter, arguments: arguments)
        for index in sessions.indices where sessions[index].status == .running {
            sessions[index].isInterrupted = !locks.isRunningSomewhere(sessions[index].id.rawValue)
        }
        return sessions
    }

    /// Sessions in full, with inputs (unless `withInputs` is false) and drafts, in three queries.
    private static func fetchSessions(
        _ db: Database, filter: String, arguments: StatementArguments, withInputs: Bool = true
    ) throws -> [JournalSession] {
        var sessions: [JournalSession] = []
        var positions: [Int64: Int] = [:]
        try RawRow.forEach(
            db,
            sql: """
                SELECT s.id, s.exercise_id, s.exercise_title, s.content_hash, s.started_at, s.ended_at, s.status,
                  s.last_snapshot, s.final_values, s.reflection
                FROM session s WHERE \(filter) ORDER BY s.started_at, s.id
                """,
            arguments: arguments
        ) { row in
            let id = row.int64(0)
            positions[id] = sessions.count
            sessions.append(JournalSession(
                id: SessionID(id),
                exerciseID: row.string(1) ?? "",
                exerciseTitle: row.string(2) ?? "",
                contentHash: row.string(3) ?? "",
                startedAt: row.date(4) ?? Date(timeIntervalSince1970: 0),
                endedAt: row.date(5),
                status: status(row.string(6)),
                lastSnapshot: row.values(7) ?? [:],
                finalValues: row.values(8),
                reflection: row.string(9)
            ))
        }
        guard !sessions.isEmpty else { return [] }

        if withInputs {
            try fetchInputs(db, filter: filter, arguments: arguments, into: &sessions, positions: positions)
        }
        try fetchDrafts(db, filter: filter, arguments: arguments, into: &sessions, positions: positions)
        return sessions
    }

    /// The condition choosing inputs (or drafts) of the sessions `filter` chooses.
    private static func sessionCondition(_ filter: String) -> String {
        filter == "1" ? "1" : "session_id IN (SELECT s.id FROM session s WHERE \(filter))"
    }

    private static func fetchInputs(
        _ db: Database, filter: String, arguments: StatementArguments,
        into sessions: inout [JournalSession], positions: [Int64: Int]
    ) throws {
        var inputs: [RecordedInput] = []
        var current: Int64?
        func flush() {
            if let current, let position = positions[current] { sessions[position].inputs = inputs }
            inputs.removeAll(keepingCapacity: true)
        }
        try RawRow.forEach(
            db,
            sql: """
                SELECT session_id, seq, kind, text, moment, given_at, instruction, line, statement, variable, prompt
                FROM input WHERE \(sessionCondition(filter))
                ORDER BY session_id, seq
                """,
            arguments: filter == "1" ? [] : arguments
        ) { row in
            let sessionID = row.int64(0)
            if sessionID != current {
                flush()
                current = sessionID
            }
            let input = JournalInput(
                kind: InputKind(rawValue: row.string(2) ?? ""),
                text: row.string(3),
                moment: row.double(4),
                givenAt: row.date(5) ?? Date(timeIntervalSince1970: 0),
                instruction: row.int(6),
                line: row.int(7),
                statement: row.string(8).map(StatementKind.init(rawValue:)),
                variable: row.string(9),
                prompt: row.string(10)
            )
            inputs.append(RecordedInput(sequence: row.int(1) ?? 0, input: input))
        }
        flush()
    }

    private static func fetchDrafts(
        _ db: Database, filter: String, arguments: StatementArguments,
        into sessions: inout [JournalSession], positions: [Int64: Int]
    ) throws {
        try RawRow.forEach(
            db,
            sql: """
                SELECT session_id, instruction, variable, prompt, text, saved_at
                FROM draft WHERE \(sessionCondition(filter))
                """,
            arguments: filter == "1" ? [] : arguments
        ) { row in
            guard let position = positions[row.int64(0)] else { return }
            sessions[position].draft = JournalDraft(
                instruction: row.int(1),
                variable: row.string(2),
                prompt: row.string(3),
                text: row.string(4) ?? "",
                savedAt: row.date(5) ?? Date(timeIntervalSince1970: 0)
            )
        }
    }

    // MARK: - Export

    /// The JSON export (``JournalExport/json(_:exportedAt:)``) of the sessions chosen, written
    /// straight from the database rows in one pass: the same bytes as exporting the sessions
    /// in memory, several times faster on a large journal.
    public func exportJSON(exercise: String? = nil, since: Date? = nil, exportedAt: Date = Date()) throws -> String {
        try exportJSONBuffer(exercise: exercise, since: since, exportedAt: exportedAt)?.text
            ?? JournalExport.json([], exportedAt: exportedAt)
    }

    /// The JSON export handed over as UTF-8 bytes, in pieces of about
    /// ``exportChunkSize`` bytes: `body` is called once for each, in order, and the pieces
    /// together are the export (the same bytes as ``exportJSON(exercise:since:exportedAt:)``).
    /// A large export is never held in memory whole, and each piece is handed over while it
    /// is still in the processor's cache. Text the journal holds is passed through as stored.
    public func exportJSON(exercise: String? = nil, since: Date? = nil, exportedAt: Date = Date(),
                           into body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let rest = try withoutActuallyEscaping(body) { body in
            try exportJSONBuffer(exercise: exercise, since: since, exportedAt: exportedAt, chunks: body)
        }
        if let rest {
            try rest.withBytes(body)
        } else {
            var text = JournalExport.json([], exportedAt: exportedAt)
            try text.withUTF8(body)
        }
    }

    /// How many bytes of a JSON export are gathered before they are handed over.
    public static let exportChunkSize = 256 * 1024

    /// The export's bytes: all of them, or with `chunks` only what is left after the full
    /// pieces were handed to it. Nil when there is no journal.
    private func exportJSONBuffer(exercise: String?, since: Date?, exportedAt: Date,
                                  chunks: ((UnsafeBufferPointer<UInt8>) throws -> Void)? = nil) throws -> TextBuffer? {
        try read(empty: nil) { db in
            let (filter, arguments) = Self.filter(exercise: exercise, since: since)
            var drafts: [Int64: JournalDraft] = [:]
            try RawRow.forEach(
                db,
                sql: "SELECT session_id, instruction, variable, prompt, text, saved_at FROM draft WHERE \(Self.sessionCondition(filter))",
                arguments: filter == "1" ? [] : arguments
            ) { row in
                drafts[row.int64(0)] = JournalDraft(
                    instruction: row.int(1), variable: row.string(2), prompt: row.string(3), text: row.string(4) ?? "",
                    savedAt: row.date(5) ?? Date(timeIntervalSince1970: 0)
                )
            }
            let sessionCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM session s WHERE \(filter)", arguments: arguments) ?? 0
            let capacity = chunks == nil ? sessionCount * 3072 : Self.exportChunkSize + 64 * 1024
            var writer = JournalExport.JSONExportWriter(exportedAt: exportedAt, capacity: capacity)

            /// A date column as stored when it is in the export's form (it always is, unless
            /// another program wrote it), else written anew.
            func date(_ row: RawRow, _ column: Int32) -> JournalExport.Text? {
                guard let stored = row.unsafeBytes(column) else { return nil }
                if JournalDates.isStorageForm(stored) { return .bytes(stored) }
                return .string(JournalDates.storageText(JournalDates.parseStorageBytes(stored) ?? Date(timeIntervalSince1970: 0)))
            }
            /// A values column as stored when it is a JSON object, else `{}` (or null).
            func values(_ row: RawRow, _ column: Int32, orNull: Bool) -> JournalExport.Text? {
                guard let stored = row.unsafeBytes(column) else { return orNull ? nil : .string("{}") }
                return JSONText.isObject(stored) ? .bytes(stored) : .string("{}")
            }
            func text(_ row: RawRow, _ column: Int32) -> JournalExport.Text? {
                row.unsafeBytes(column).map(JournalExport.Text.bytes)
            }
            let empty = JournalExport.Text.string("")
            let epoch = JournalExport.Text.string(JournalDates.storageText(Date(timeIntervalSince1970: 0)))

            // Two cursors in step, in the same order: sessions, and inputs joined to them (so
            // SQLite never copies a session's columns for each of its inputs).
            let sessionStatement = try db.makeStatement(sql: """
                SELECT s.id, s.exercise_id, s.exercise_title, s.content_hash, s.started_at, s.ended_at, s.status,
                  s.last_snapshot, s.final_values, s.reflection
                FROM session s WHERE \(filter) ORDER BY s.started_at, s.id
                """)
            let sessionRow = RawRow(statement: sessionStatement.sqliteStatement)
            let sessionCursor = try Row.fetchCursor(sessionStatement, arguments: arguments)
            var openID: Int64?
            /// Ends a session, handing over a full piece when the export goes out in pieces.
            func endSession(_ id: Int64) throws {
                writer.endSession(draft: drafts[id])
                if let chunks, writer.bufferedCount >= Self.exportChunkSize { try writer.drain(into: chunks) }
            }
            /// Writes sessions until the one numbered `id` is begun (and left open); with nil,
            /// writes all that are left.
            func advance(to id: Int64?) throws {
                if let openID { try endSession(openID) }
                openID = nil
                while try sessionCursor.next() != nil {
                    let sessionID = sessionRow.int64(0)
                    let status = Self.status(sessionRow.string(6))
                    writer.beginSession(
                        id: sessionID, exerciseID: text(sessionRow, 1) ?? empty, exerciseTitle: text(sessionRow, 2) ?? empty,
                        contentHash: text(sessionRow, 3) ?? empty, startedAt: date(sessionRow, 4) ?? epoch,
                        endedAt: date(sessionRow, 5), status: .string(status.rawValue),
                        interrupted: status == .running && !locks.isRunningSomewhere(sessionID),
                        lastSnapshot: values(sessionRow, 7, orNull: false) ?? .string("{}"),
                        finalValues: values(sessionRow, 8, orNull: true), reflection: text(sessionRow, 9)
                    )
                    if sessionID == id {
                        openID = sessionID
                        return
                    }
                    try endSession(sessionID)
                }
            }
            var currentID: Int64?
            try RawRow.forEach(
                db,
                sql: """
                    SELECT s.id, i.seq, i.kind, i.text, i.moment, i.given_at, i.instruction, i.line, i.statement,
                      i.variable, i.prompt
                    FROM session s JOIN input i ON i.session_id = s.id
                    WHERE \(filter) ORDER BY s.started_at, s.id, i.seq
                    """,
                arguments: arguments
            ) { row in
                let id = row.int64(0)
                if id != currentID {
                    currentID = id
                    try advance(to: id)
                }
                guard openID == id else { return }
                writer.input(
                    sequence: row.int(1) ?? 0, kind: text(row, 2) ?? empty, text: text(row, 3), moment: row.double(4),
                    givenAt: date(row, 5) ?? epoch, instruction: row.int(6), line: row.int(7), statement: text(row, 8),
                    variable: text(row, 9), prompt: text(row, 10)
                )
            }
            try advance(to: nil)
            return writer.finishBuffer()
        }
    }

    // MARK: - Bulk import (benchmarks and tests)

    /// Inserts whole sessions in one transaction, with new numbers. For generating large
    /// journals quickly; sessions come in as given (a `running` one is left interrupted).
    @_spi(Bench)
    @discardableResult
    public func importSessions(_ sessions: [JournalSession]) throws -> [SessionID] {
        try write { db in
            var ids: [SessionID] = []
            ids.reserveCapacity(sessions.count)
            for session in sessions {
                try db.execute(
                    sql: """
                        INSERT INTO session (exercise_id, exercise_title, content_hash, started_at, ended_at, status,
                          last_snapshot, final_values, reflection)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        session.exerciseID, session.exerciseTitle, session.contentHash,
                        JournalDates.storageText(session.startedAt), session.endedAt.map(JournalDates.storageText),
                        session.status.rawValue, JSONText.values(session.lastSnapshot),
                        session.finalValues.map { JSONText.values($0) }, session.reflection,
                    ]
                )
                let id = db.lastInsertedRowID
                for recorded in session.inputs {
                    let input = recorded.input
                    try db.execute(
                        sql: """
                            INSERT INTO input (session_id, seq, kind, text, moment, given_at, instruction, line, statement, variable, prompt)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            id, recorded.sequence, input.kind.rawValue, input.text, input.moment,
                            JournalDates.storageText(input.givenAt), input.instruction, input.line,
                            input.statement?.rawValue, input.variable, input.prompt,
                        ]
                    )
                }
                if let draft = session.draft {
                    try db.execute(
                        sql: "INSERT INTO draft (session_id, instruction, variable, prompt, text, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [id, draft.instruction, draft.variable, draft.prompt, draft.text, JournalDates.storageText(draft.savedAt)]
                    )
                }
                ids.append(SessionID(id))
            }
            return ids
        }
    }

    /// The version of SQLite in use (for the benchmark's report).
    @_spi(Bench)
    public func sqliteVersion() throws -> String {
        try read(empty: "") { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "" }
    }

    // MARK: - Fault injection (tests)

    /// Stops the database from growing past its current size, as a full disk would: the next
    /// write that needs a new page fails with SQLite's own `SQLITE_FULL`.
    func limitGrowthForTesting() throws {
        guard let database else { return }
        try database.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
    }

    /// Lets the database grow again, as when space is freed on a full disk.
    func liftGrowthLimitForTesting() throws {
        guard let database else { return }
        try database.writeWithoutTransaction { db in
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = 1073741823")
        }
    }
}

extension JournalError.Kind {
    /// The technical detail, where there is one (never an answer).
    var detail: String {
        switch self {
        case .damaged(_, let reason), .notWritable(_, let reason), .storage(_, let reason),
             .cannotCreateFolder(_, let reason), .exportFailed(_, let reason):
            reason
        default:
            ""
        }
    }
}
