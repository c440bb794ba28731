import GRDB

/// The journal's schema, built by migrations that are never edited once shipped: a change is a
/// new migration appended to the list, which also raises `PRAGMA user_version` (the schema
/// version other tools can read) to ``AttuneJournal/schemaVersion``.
///
/// Version 1:
///
/// ```sql
/// CREATE TABLE session (
///   id             INTEGER PRIMARY KEY AUTOINCREMENT,  -- the small number people type; never reused
///   exercise_id    TEXT NOT NULL,                      -- file name without .attune
///   exercise_title TEXT NOT NULL,
///   content_hash   TEXT NOT NULL,                      -- hash of the script that ran
///   started_at     TEXT NOT NULL,                      -- UTC, 2025-11-28T14:05:12.345Z
///   ended_at       TEXT,                               -- NULL while running
///   status         TEXT NOT NULL CHECK (status IN ('running', 'finished', 'stopped', 'continued')),
///   last_snapshot  TEXT NOT NULL DEFAULT '{}',         -- JSON object: the last.* values at start
///   final_values   TEXT,                               -- JSON object at the end
///   reflection     TEXT                                -- the @reflect prose as shown
/// );
/// CREATE INDEX session_by_exercise ON session(exercise_id, status, ended_at);
/// CREATE INDEX session_by_start ON session(started_at);
///
/// CREATE TABLE input (                                 -- every input the engine took
///   session_id  INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
///   seq         INTEGER NOT NULL,                      -- 1, 2, 3, ... within the session
///   kind        TEXT NOT NULL,                         -- answer, skip, stop, draft, confirm,
///                                                      -- pause, resume, skipStep, stopStep
///   text        TEXT,                                  -- the answer as written
///   moment      REAL NOT NULL,                         -- seconds on the session timeline
///   given_at    TEXT NOT NULL,                         -- wall clock, UTC
///   instruction INTEGER,                               -- program instruction index answered
///   line        INTEGER,                               -- its source line
///   statement   TEXT,                                  -- ask, write, rate, choose, caution, key
///   variable    TEXT,
///   prompt      TEXT,                                  -- as shown, after interpolation
///   PRIMARY KEY (session_id, seq)
/// ) WITHOUT ROWID;
///
/// CREATE INDEX input_rating ON input(session_id, seq, text)   -- first and last ratings for
///   WHERE kind = 'answer' AND statement = 'rate';              -- history, without reading answers
///
/// CREATE TABLE draft (                                 -- at most one live draft a session
///   session_id  INTEGER PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
///   instruction INTEGER,
///   variable    TEXT,
///   prompt      TEXT,
///   text        TEXT NOT NULL,
///   saved_at    TEXT NOT NULL
/// );
/// ```
///
/// GRDB records the applied migrations in `grdb_migrations`.
enum Schema {
    /// The first migration: every attune journal has it.
    static let firstMigration = "v1: sessions, inputs, drafts"

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(firstMigration) { db in
            try db.execute(sql: """
                CREATE TABLE session (
                  id             INTEGER PRIMARY KEY AUTOINCREMENT,
                  exercise_id    TEXT NOT NULL,
                  exercise_title TEXT NOT NULL,
                  content_hash   TEXT NOT NULL,
                  started_at     TEXT NOT NULL,
                  ended_at       TEXT,
                  status         TEXT NOT NULL CHECK (status IN ('running', 'finished', 'stopped', 'continued')),
                  last_snapshot  TEXT NOT NULL DEFAULT '{}',
                  final_values   TEXT,
                  reflection     TEXT
                );
                CREATE INDEX session_by_exercise ON session(exercise_id, status, ended_at);
                CREATE INDEX session_by_start ON session(started_at);
                CREATE TABLE input (
                  session_id  INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                  seq         INTEGER NOT NULL,
                  kind        TEXT NOT NULL,
                  text        TEXT,
                  moment      REAL NOT NULL,
                  given_at    TEXT NOT NULL,
                  instruction INTEGER,
                  line        INTEGER,
                  statement   TEXT,
                  variable    TEXT,
                  prompt      TEXT,
                  PRIMARY KEY (session_id, seq)
                ) WITHOUT ROWID;
                CREATE INDEX input_rating ON input(session_id, seq, text) WHERE kind = 'answer' AND statement = 'rate';
                CREATE TABLE draft (
                  session_id  INTEGER PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
                  instruction INTEGER,
                  variable    TEXT,
                  prompt      TEXT,
                  text        TEXT NOT NULL,
                  saved_at    TEXT NOT NULL
                );
                PRAGMA user_version = 1;
                """)
        }
        return migrator
    }
}
