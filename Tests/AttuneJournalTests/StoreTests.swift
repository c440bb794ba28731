import Foundation
import GRDB
import Testing
@testable import AttuneJournal

@Suite("The store")
struct StoreTests {
    @Test("The location comes from ATTUNE_HOME, then XDG_DATA_HOME, then HOME")
    func location() throws {
        #expect(try JournalLocation.resolve(environment: ["ATTUNE_HOME": "/a/b/", "XDG_DATA_HOME": "/x", "HOME": "/h"]).folder == "/a/b")
        #expect(try JournalLocation.resolve(environment: ["ATTUNE_HOME": "", "XDG_DATA_HOME": "/x", "HOME": "/h"]).folder == "/x/attune")
        // A relative XDG_DATA_HOME is ignored, as the XDG spec says.
        #expect(try JournalLocation.resolve(environment: ["XDG_DATA_HOME": "x", "HOME": "/h"]).folder == "/h/.local/share/attune")
        #expect(try JournalLocation.resolve(environment: ["HOME": "/h"]).databasePath == "/h/.local/share/attune/journal.sqlite")
    }

    @Test("A new journal gets the schema, version 1, WAL and the settings")
    func freshJournal() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        #expect(journal.isWritable)
        #expect(journal.problem == nil)
        let database = try #require(journal.database)
        let settings = try database.read { db in
            [
                try String.fetchOne(db, sql: "PRAGMA user_version"),
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try String.fetchOne(db, sql: "PRAGMA synchronous"),  // 2 is FULL
                try String.fetchOne(db, sql: "PRAGMA temp_store"),  // 2 is MEMORY
                try String.fetchOne(db, sql: "PRAGMA secure_delete"),
            ]
        }
        #expect(settings == [String(AttuneJournal.schemaVersion), "wal", "2", "2", "1"])
        let (migrations, tables) = try database.read { db in
            (try Schema.migrator().appliedIdentifiers(db),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        }
        #expect(migrations == ["v1: sessions, inputs, drafts"])
        #expect(tables == ["draft", "grdb_migrations", "input", "session", "sqlite_sequence"])
    }

    @Test("Reopening keeps everything and applies no migration twice")
    func reopen() throws {
        let home = try TemporaryHome()
        var id = SessionID(0)
        do {
            let journal = try home.openJournal()
            id = try runSession(journal, at: day(), ratings: [6, 3], values: ["mood": .text("calm")])
        }
        let again = try home.openJournal()
        #expect(again.isWritable)
        let session = try #require(try again.session(id: id))
        #expect(session.status == .finished)
        #expect(session.ratings == [6, 3])
        #expect(session.finalValues == ["mood": .text("calm")])
        let count = try again.database?.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") }
        #expect(count == 1)
    }

    @Test("A session keeps what it was given, exactly")
    func roundTrip() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        let snapshot: [String: JournalValue] = ["before": .number(6), "name": .text("Sam \"S\" \\ ü ✓\n")]
        let id = try journal.startSession(
            exerciseID: "linking-past-and-present", title: "Linking past and present",
            contentHash: "sha256:abc", lastSnapshot: snapshot, startedAt: day(0.0004)
        )
        let story = "The smell of rain.\nIt took me back.\n\nTo the schoolyard."
        let inputs = [
            JournalInput(kind: .confirm, text: "yes", moment: 0, givenAt: day(1), instruction: 0, line: 3, statement: .caution),
            JournalInput(kind: .pause, moment: 12.25, givenAt: day(13.5), instruction: 2, line: 6, statement: .key),
            JournalInput(kind: .resume, moment: 12.25, givenAt: day(20.123), instruction: 2, line: 6, statement: .key),
            answer("7", at: 30.5, statement: .rate, variable: "before", prompt: "How strong?", instruction: 4, line: 8),
            answer(story, at: 95.125, statement: .write, variable: "story", prompt: "What happened?", instruction: 5, line: 10),
            JournalInput(kind: .skip, moment: 120, givenAt: day(130), instruction: 6, line: 12, statement: .choose,
                         variable: "part", prompt: "Which part?"),
        ]
        for (index, input) in inputs.enumerated() {
            #expect(try journal.record(input, session: id) == index + 1)
        }
        try journal.saveReflection("You moved from 7.", session: id)
        try journal.finish(session: id, status: .finished, finalValues: ["before": .number(.max), "low": .number(.min)], endedAt: day(600))

        let session = try #require(try journal.session(id: id))
        #expect(session.exerciseID == "linking-past-and-present")
        #expect(session.exerciseTitle == "Linking past and present")
        #expect(session.contentHash == "sha256:abc")
        #expect(session.startedAt == day())  // kept to the millisecond
        #expect(session.endedAt == day(600))
        #expect(session.lastSnapshot == snapshot)
        #expect(session.finalValues == ["before": .number(.max), "low": .number(.min)])
        #expect(session.reflection == "You moved from 7.")
        #expect(session.inputs.map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(session.inputs.map(\.input) == inputs)
        #expect(session.draft == nil)
    }

    @Test("Each input is committed the moment it is given: another connection sees it")
    func committedImmediately() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        let id = try journal.startSession(exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day())
        let other = try separateReader(home.databasePath)
        for index in 1...3 {
            try journal.record(answer("answer \(index)", at: Double(index)), session: id)
            let seen = try other.read { db in
                try String.fetchAll(db, sql: "SELECT text FROM input WHERE session_id = ? ORDER BY seq", arguments: [id.rawValue])
            }
            #expect(seen == (1...index).map { "answer \($0)" })
        }
        let status = try other.read { db in try String.fetchOne(db, sql: "SELECT status FROM session WHERE id = ?", arguments: [id.rawValue]) }
        #expect(status == "running")
    }

    @Test("last.v comes from the most recent finished session of the same exercise only")
    func lastValues() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        #expect(try journal.lastValues(exerciseID: "box") == [:])
        try runSession(journal, exercise: "box", at: day(0), values: ["x": .number(1)])
        try runSession(journal, exercise: "box", at: day(1000), values: ["x": .number(2), "name": .text("two")])
        try runSession(journal, exercise: "box", at: day(2000), status: .stopped, values: ["x": .number(3)])
        try runSession(journal, exercise: "other", at: day(3000), values: ["x": .number(4)])
        let running = try journal.startSession(exerciseID: "box", title: "Box", contentHash: "h", lastSnapshot: [:], startedAt: day(4000))
        try journal.record(answer("5", at: 1, statement: .rate, variable: "x"), session: running)
        #expect(try journal.lastValues(exerciseID: "box") == ["x": .number(2), "name": .text("two")])
        #expect(try journal.lastValues(exerciseID: "other") == ["x": .number(4)])
        #expect(try journal.lastValues(exerciseID: "missing") == [:])
    }

    @Test("Writes to a session that has ended, or that another journal runs, are refused")
    func ownership() throws {
        let home = try TemporaryHome()
        let first = try home.openJournal()
        let second = try home.openJournal()
        let id = try first.startSession(exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day())
        #expect(throws: JournalError(.sessionInUse(id))) { try second.record(answer("x", at: 1), session: id) }
        #expect(throws: JournalError(.sessionInUse(id))) { _ = try second.resume(session: id) }
        #expect(throws: JournalError(.sessionInUse(id))) { try second.delete(session: id) }
        try first.finish(session: id, status: .finished, finalValues: [:], endedAt: day(10))
        #expect(throws: JournalError(.sessionEnded(id))) { try first.record(answer("x", at: 1), session: id) }
        #expect(throws: JournalError(.sessionEnded(id))) { _ = try second.resume(session: id) }
        #expect(throws: JournalError(.unknownSession(SessionID(99)))) { try first.record(answer("x", at: 1), session: SessionID(99)) }
        #expect(throws: JournalError(.invalidRequest("finishing a session as running"))) {
            try first.finish(session: id, status: .running, finalValues: [:], endedAt: day())
        }
    }

    @Test("Session numbers read as people type them")
    func sessionIDs() {
        #expect(SessionID("12") == SessionID(12))
        #expect(SessionID("#7") == SessionID(7))
        #expect(SessionID("0") == nil)
        #expect(SessionID("-3") == nil)
        #expect(SessionID("12a") == nil)
        #expect(SessionID("") == nil)
    }
}
