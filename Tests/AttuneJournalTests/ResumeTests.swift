import Foundation
import GRDB
import Testing
@testable import AttuneJournal

@Suite("Resume, drafts and delete")
struct ResumeTests {
    @Test("The most recently stopped session is found; finished ones and running ones are not")
    func mostRecentStopped() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        #expect(try journal.mostRecentStopped() == nil)
        let older = try runSession(journal, exercise: "a", at: day(0), status: .stopped, duration: 100)
        let newer = try runSession(journal, exercise: "b", at: day(1000), status: .stopped, duration: 100)
        try runSession(journal, exercise: "a", at: day(5000), status: .finished)
        // Running right now (this journal holds it): never offered for resume.
        _ = try journal.startSession(exerciseID: "c", title: "C", contentHash: "h", lastSnapshot: [:], startedAt: day(9000))

        #expect(try journal.mostRecentStopped()?.id == newer)
        #expect(try journal.mostRecentStopped(exercise: "a")?.id == older)
        #expect(try journal.mostRecentStopped(exercise: "c") == nil)
        #expect(try journal.mostRecentStopped()?.isInterrupted == false)
    }

    @Test("A session whose process went away is interrupted, found for resume, and taken over")
    func interrupted() throws {
        let home = try TemporaryHome()
        var id = SessionID(0)
        do {
            // This journal plays the process that is killed: dropping it lets go of its locks
            // as the system does for a killed process.
            let crashed = try home.openJournal()
            _ = try runSession(crashed, exercise: "a", at: day(-10_000), status: .stopped)
            id = try crashed.startSession(exerciseID: "b", title: "B", contentHash: "h", lastSnapshot: ["x": .number(1)], startedAt: day(100))
            try crashed.record(answer("first", at: 5, variable: "one", prompt: "One?"), session: id)
            try crashed.saveDraft(JournalDraft(instruction: 3, variable: "two", prompt: "Two?", text: "half typ", savedAt: day(110)), session: id)
            // While it runs, nobody else sees it as resumable.
            let bystander = try home.openJournal()
            #expect(try bystander.mostRecentStopped()?.exerciseID == "a")
        }
        let journal = try home.openJournal()
        let found = try #require(try journal.mostRecentStopped())
        #expect(found.id == id)
        #expect(found.status == .running)
        #expect(found.isInterrupted)
        #expect(try journal.sessions().first { $0.id == id }?.isInterrupted == true)

        let resumed = try journal.resume(session: id)
        #expect(resumed.inputs.map(\.input.text) == ["first"])
        #expect(resumed.draft?.text == "half typ")
        #expect(resumed.draft?.instruction == 3)
        #expect(resumed.lastSnapshot == ["x": .number(1)])
        #expect(resumed.isInterrupted == false)
        // Taken over: it goes on in this journal, numbered after what was there.
        #expect(try journal.record(answer("half typed, now whole", at: 200, variable: "two", prompt: "Two?"), session: id) == 2)
        #expect(try journal.session(id: id)?.draft == nil)  // the answer replaced the draft
        #expect(try journal.mostRecentStopped(exercise: "b") == nil)
        try journal.finish(session: id, status: .finished, finalValues: [:], endedAt: day(300))
        #expect(try journal.session(id: id)?.status == .finished)
        #expect(filesIn(home.location.lockFolder) == ["journal.lock"])
    }

    @Test("A stopped session resumes; its draft comes back, and at most one draft is kept")
    func drafts() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        let id = try journal.startSession(exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day())
        try journal.saveDraft(JournalDraft(instruction: 1, variable: "a", prompt: "A?", text: "one", savedAt: day(1)), session: id)
        try journal.saveDraft(JournalDraft(instruction: 1, variable: "a", prompt: "A?", text: "one two", savedAt: day(2)), session: id)
        let count = try journal.database?.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM draft") }
        #expect(count == 1)
        try journal.record(JournalInput(kind: .stop, moment: 3, givenAt: day(3), instruction: 1, statement: .ask), session: id)
        try journal.finish(session: id, status: .stopped, finalValues: [:], endedAt: day(3))
        // A stop keeps the draft (only an answer or a skip replaces it).
        #expect(try journal.session(id: id)?.draft == JournalDraft(instruction: 1, variable: "a", prompt: "A?", text: "one two", savedAt: day(2)))

        let resumed = try journal.resume(session: id)
        #expect(resumed.status == .running)
        #expect(resumed.endedAt == nil)
        #expect(resumed.draft?.text == "one two")
        try journal.clearDraft(session: id)
        #expect(try journal.session(id: id)?.draft == nil)
        try journal.saveDraft(JournalDraft(text: "again", savedAt: day(4)), session: id)
        try journal.record(JournalInput(kind: .skip, moment: 5, givenAt: day(5)), session: id)
        #expect(try journal.session(id: id)?.draft == nil)
    }

    @Test("Delete removes a session for good: no row, and its words are gone from the files")
    func delete() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        let keep = try runSession(journal, at: day(0), ratings: [5])
        let secret = "UNMISTAKABLE-SECRET-" + String(repeating: "words I wrote ", count: 200)
        let gone = try journal.startSession(exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day(100))
        try journal.record(answer(secret, at: 1), session: gone)
        try journal.saveDraft(JournalDraft(text: "DRAFT-SECRET-TEXT", savedAt: day(101)), session: gone)
        try journal.finish(session: gone, status: .stopped, finalValues: ["s": .text("VALUE-SECRET")], endedAt: day(102))

        try journal.delete(session: gone)
        #expect(try journal.session(id: gone) == nil)
        #expect(try journal.session(id: keep) != nil)
        let leftovers = try journal.database?.read { db in
            [
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM input WHERE session_id = ?", arguments: [gone.rawValue]),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM draft"),
            ]
        }
        #expect(leftovers == [0, 0])
        #expect(throws: JournalError(.unknownSession(gone))) { try journal.delete(session: gone) }
        // Ids are never reused.
        let next = try runSession(journal, at: day(200))
        #expect(next.rawValue > gone.rawValue)

        for suffix in ["", "-wal"] {
            let bytes = fileBytes(home.databasePath + suffix) ?? Data()
            for marker in ["UNMISTAKABLE-SECRET", "DRAFT-SECRET-TEXT", "VALUE-SECRET"] {
                #expect(bytes.range(of: Data(marker.utf8)) == nil, "\(marker) still in journal.sqlite\(suffix)")
            }
        }
    }

    @Test("Sessions list oldest first, filtered by exercise and date")
    func sessionsFilter() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        try runSession(journal, exercise: "a", at: day(-86_400 * 3), ratings: [7, 4])
        try runSession(journal, exercise: "b", at: day(-86_400), ratings: [3])
        try runSession(journal, exercise: "a", at: day(0), ratings: [])
        let all = try journal.sessions()
        #expect(all.map(\.exerciseID) == ["a", "b", "a"])
        #expect(all.map(\.firstRating) == [7, 3, nil])
        #expect(all.map(\.lastRating) == [4, 3, nil])
        #expect(all.map(\.ratingCount) == [2, 1, 0])
        #expect(all.map(\.duration) == [600, 600, 600])
        #expect(try journal.sessions(exercise: "a").count == 2)
        let since = try #require(JournalDates.startOfDay("2025-11-27", timeZone: utc))
        #expect(try journal.sessions(since: since).map(\.exerciseID) == ["b", "a"])
        #expect(try journal.sessions(exercise: "a", since: since).count == 1)
        #expect(try journal.fullSessions(exercise: "b").first?.ratings == [3])
    }
}
