import Foundation
import GRDB
import Testing
@testable import AttuneJournal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Faults")
struct FaultTests {
    @Test("Folder 0700 and files 0600 even under umask 000")
    func permissionsUnderOpenUmask() throws {
        let home = try TemporaryHome()
        // Every file the journal makes sets its mode explicitly, so tests running in parallel
        // are not affected by this process-wide umask either.
        let previous = umask(0)
        defer { umask(previous) }
        let journal = try home.openJournal()
        let id = try journal.startSession(exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day())
        try journal.record(answer("x", at: 1), session: id)

        #expect(permissions(home.location.folder) == 0o700)
        for file in ["journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm"] {
            #expect(permissions(home.location.folder + "/" + file) == 0o600, "\(file)")
        }
        #expect(permissions(home.location.lockFolder) == 0o700)
        #expect(permissions(home.location.lockFolder + "/journal.lock") == 0o600)
        #expect(permissions(home.location.lockFolder + "/session-\(id.rawValue).lock") == 0o600)

        let export = home.root + "/export.md"
        try JournalExport.write("hello\n", toFile: export)
        #expect(permissions(export) == 0o600)
    }

    @Test("Missing parent folders are created 0700 too")
    func parents() throws {
        let home = try TemporaryHome()
        let location = JournalLocation(folder: home.root + "/deep/er/attune")
        _ = try Journal.open(at: location)
        #expect(permissions(home.root + "/deep") == 0o700)
        #expect(permissions(home.root + "/deep/er") == 0o700)
        #expect(permissions(location.folder) == 0o700)
    }

    @Test("A journal from a newer attune is opened read-only and its bytes never change")
    func newerVersion() throws {
        let home = try TemporaryHome()
        do {
            let journal = try home.openJournal()
            try runSession(journal, at: day(), ratings: [4], values: ["x": .number(1)])
        }
        // What a newer attune would leave: a migration this one doesn't know, a higher version.
        do {
            let queue = try DatabaseQueue(path: home.databasePath)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2: something new')")
                try db.execute(sql: "PRAGMA user_version = 2")
            }
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try queue.close()
        }
        let before = try #require(fileBytes(home.databasePath))
        let walBefore = fileBytes(home.databasePath + "-wal")

        let journal = try home.openJournal()
        #expect(!journal.isWritable)
        #expect(journal.problem?.code == .newerVersion)
        #expect(journal.problem?.message.contains("newer version of attune") == true)
        // Reading still works.
        #expect(try journal.sessions().count == 1)
        #expect(try journal.lastValues(exerciseID: "linking-past-and-present") == ["x": .number(1)])
        // Writing is refused with the reason.
        let problem = try #require(journal.problem)
        #expect(throws: problem) {
            _ = try journal.startSession(exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day())
        }
        let recorder = SessionRecorder(journal: journal, exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day())
        #expect(recorder.takeNotice()?.code == .newerVersion)
        #expect(recorder.record(answer("kept in memory", at: 1)) == nil)
        #expect(recorder.session.inputs.count == 1)

        #expect(fileBytes(home.databasePath) == before)
        #expect(fileBytes(home.databasePath + "-wal") ?? Data() == walBefore ?? Data())
    }

    @Test("A file that is not a database is never used and never changed")
    func notADatabase() throws {
        let home = try TemporaryHome()
        try FileSystem.ensureFolder(home.location.folder)
        let garbage = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try garbage.write(to: URL(fileURLWithPath: home.databasePath))
        let error = #expect(throws: JournalError.self) { _ = try home.openJournal() }
        #expect(error?.code == .notAJournal)
        #expect(error?.message.contains("exactly as it is") == true)
        #expect(fileBytes(home.databasePath) == garbage)
        #expect(filesIn(home.location.folder) == ["journal.sqlite"])
    }

    @Test("Another program's database is never used and never changed")
    func foreignDatabase() throws {
        let home = try TemporaryHome()
        try FileSystem.ensureFolder(home.location.folder)
        do {
            let queue = try DatabaseQueue(path: home.databasePath)
            try queue.write { db in try db.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')") }
            try queue.close()
        }
        let before = try #require(fileBytes(home.databasePath))
        let error = #expect(throws: JournalError.self) { _ = try home.openJournal() }
        #expect(error?.code == .notAJournal)
        #expect(fileBytes(home.databasePath) == before)
        #expect(throws: JournalError.self) { _ = try home.openJournal(.readingOnly) }
    }

    @Test("Another GRDB application's database is not mistaken for a newer journal")
    func otherGRDBDatabase() throws {
        let home = try TemporaryHome()
        try FileSystem.ensureFolder(home.location.folder)
        do {
            let queue = try DatabaseQueue(path: home.databasePath)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("createNotes") { db in try db.execute(sql: "CREATE TABLE notes (body TEXT)") }
            try migrator.migrate(queue)
            try queue.close()
        }
        let before = try #require(fileBytes(home.databasePath))
        let error = #expect(throws: JournalError.self) { _ = try home.openJournal() }
        #expect(error?.code == .notAJournal)
        #expect(error?.message.contains("not made by attune") == true)
        #expect(fileBytes(home.databasePath) == before)
    }

    @Test("A damaged journal is opened read-only, with a gentle word, and never written")
    func damaged() throws {
        let home = try TemporaryHome()
        do {
            let journal = try home.openJournal()
            for index in 0..<60 {
                try runSession(journal, at: day(Double(index) * 1000), ratings: [Int64(index % 10)])
            }
            try journal.database?.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        var bytes = try #require(fileBytes(home.databasePath))
        let pageSize = 4096
        #expect(bytes.count > pageSize * 4)
        // Scribble over the header of a b-tree page in the middle of the file.
        let page = (bytes.count / pageSize) / 2
        for offset in 0..<64 { bytes[page * pageSize + offset] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: home.databasePath))

        let journal = try home.openJournal()
        #expect(!journal.isWritable)
        #expect(journal.problem?.code == .damaged)
        #expect(journal.problem?.message.contains("looks damaged") == true)
        #expect(throws: JournalError.self) {
            _ = try journal.startSession(exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day())
        }
        #expect(fileBytes(home.databasePath) == bytes)
    }

    @Test("Two journals writing at once, on two threads, keep every input")
    func twoWriters() throws {
        let home = try TemporaryHome()
        let location = home.location
        _ = try Journal.open(at: location)
        let perWriter = 150
        let ids = try [0, 1].map { writer in
            try Journal.open(at: location).startSession(
                exerciseID: "w\(writer)", title: "W", contentHash: "h", lastSnapshot: [:], startedAt: day())
        }
        // The journals that started the sessions are gone: each thread takes its session over,
        // as two attune processes would each run their own.
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            do {
                let journal = try Journal.open(at: location)
                let id = ids[writer]
                _ = try journal.resume(session: id)
                for index in 1...perWriter {
                    try journal.record(answer("writer \(writer) answer \(index)", at: Double(index)), session: id)
                }
                try journal.finish(session: id, status: .finished, finalValues: [:], endedAt: day(1000))
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        let journal = try Journal.open(at: location, mode: .readingOnly)
        for (writer, id) in ids.enumerated() {
            let session = try #require(try journal.session(id: id))
            #expect(session.status == .finished)
            #expect(session.inputs.map(\.sequence) == Array(1...perWriter))
            #expect(session.inputs.map(\.input.text) == (1...perWriter).map { "writer \(writer) answer \($0)" })
        }
    }

    @Test("A full disk surfaces a typed error once; the session goes on in memory and can be exported")
    func diskFull() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        let recorder = SessionRecorder(
            journal: journal, exerciseID: "linking-past-and-present", title: "Linking past and present",
            contentHash: "h", lastSnapshot: [:], startedAt: day()
        )
        #expect(recorder.takeNotice() == nil)
        #expect(recorder.record(answer("before the disk filled", at: 1, prompt: "First?")) == nil)

        try journal.limitGrowthForTesting()
        let long = String(repeating: "a long answer that needs new pages ", count: 2000)
        // The journal itself throws the typed error...
        let direct = #expect(throws: JournalError.self) {
            try journal.record(answer(long, at: 2), session: recorder.sessionID)
        }
        #expect(direct?.code == .diskFull)
        #expect(direct?.isWriteFailure == true)
        #expect(direct?.message.contains("is full") == true)

        // ...and the recorder tells it once, then keeps everything in memory.
        let notice = recorder.record(answer(long, at: 3, prompt: "Second?"))
        #expect(notice?.code == .diskFull)
        #expect(!recorder.isKeptInJournal)
        #expect(recorder.record(answer("and after", at: 4, prompt: "Third?")) == nil)
        #expect(recorder.saveReflection("Well done.") == nil)
        #expect(recorder.finish(status: .finished, finalValues: ["x": .number(1)], endedAt: day(60)) == nil)

        let session = recorder.session
        #expect(session.inputs.map(\.input.text) == ["before the disk filled", long, "and after"])
        #expect(session.status == .finished)
        // The journal kept the part written before: a prefix, never a gap.
        let kept = try #require(try journal.session(id: recorder.sessionID))
        #expect(kept.inputs.map(\.input.text) == ["before the disk filled"])

        let markdown = recorder.exportMarkdown(timeZone: utc, exportedAt: day(60))
        #expect(markdown.contains("> and after"))
        #expect(markdown.contains("**Second?**"))
        let file = home.root + "/rescued.md"
        try JournalExport.write(markdown, toFile: file)
        #expect(fileBytes(file) == Data(markdown.utf8))
    }

    @Test("Once a full disk has room again, the journal catches up with everything it missed, in order")
    func diskFullThenRoomAgain() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        let recorder = SessionRecorder(journal: journal, exerciseID: "e", title: "E", contentHash: "h",
                                       lastSnapshot: [:], startedAt: day())
        #expect(recorder.record(answer("first", at: 1)) == nil)
        try journal.limitGrowthForTesting()
        let long = String(repeating: "a long answer that needs new pages ", count: 2000)
        #expect(recorder.record(answer(long, at: 2))?.code == .diskFull)
        // Still full: tried again, quietly, and nothing out of order reaches the journal.
        #expect(recorder.record(answer("third", at: 3)) == nil)
        #expect(try journal.session(id: recorder.sessionID)?.inputs.map(\.input.text) == ["first"])
        #expect(!recorder.isKeptInJournal)

        try journal.liftGrowthLimitForTesting()
        #expect(recorder.record(answer("fourth", at: 4)) == nil)
        #expect(recorder.isKeptInJournal)
        #expect(recorder.recovered)
        #expect(recorder.finish(status: .finished, finalValues: [:], endedAt: day(60)) == nil)
        let kept = try #require(try journal.session(id: recorder.sessionID))
        #expect(kept.inputs.map(\.input.text) == ["first", long, "third", "fourth"])
        #expect(kept.inputs.map(\.sequence) == [1, 2, 3, 4])
        #expect(kept.status == .finished)
    }

    @Test("An empty journal file reads as a journal with no sessions, and is set up at the first session")
    func emptyJournalFile() throws {
        let home = try TemporaryHome()
        try FileSystem.ensureFolder(home.location.folder)
        try Data().write(to: URL(fileURLWithPath: home.databasePath))
        let reader = try home.openJournal(.readingOnly)
        #expect(try reader.sessions().isEmpty)
        let writer = try home.openJournal()
        #expect(writer.isWritable)
        _ = try writer.startSession(exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day())
        #expect(try home.openJournal(.readingOnly).sessions().count == 1)
    }

    @Test("A folder that cannot be created: a typed error, and a memory-only session")
    func folderBlocked() throws {
        let home = try TemporaryHome()
        let blocker = home.root + "/file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let location = JournalLocation(folder: blocker + "/attune")
        let error = #expect(throws: JournalError.self) { _ = try Journal.open(at: location) }
        #expect(error?.code == .notWritable)
        #expect(error?.isWriteFailure == true)

        let recorder = SessionRecorder(journal: nil, exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day())
        #expect(recorder.record(answer("safe", at: 1)) == nil)
        #expect(recorder.session.inputs.count == 1)
        #expect(recorder.sessionID == SessionID(0))
    }

    @Test("A read-only folder: the journal is read, and nothing is written", .enabled(if: geteuid() != 0, "root ignores permissions"))
    func readOnlyFolder() throws {
        let home = try TemporaryHome()
        do {
            let journal = try home.openJournal()
            try runSession(journal, at: day())
        }
        chmod(home.location.folder, 0o500)
        defer { chmod(home.location.folder, 0o700) }
        let journal = try home.openJournal()
        #expect(!journal.isWritable)
        #expect(journal.problem?.isWriteFailure == true)
        #expect(try journal.sessions().count == 1)
    }

    @Test("Opening for reading only creates nothing")
    func readingOnlyCreatesNothing() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal(.readingOnly)
        #expect(!journal.isWritable)
        #expect(journal.problem == nil)
        #expect(try journal.sessions().isEmpty)
        #expect(try journal.history() == "No sessions yet.\n")
        #expect(!FileManager.default.fileExists(atPath: home.location.folder))
        #expect(throws: JournalError(.readOnly(because: .openedReadOnly))) {
            _ = try journal.startSession(exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day())
        }
    }

    @Test("The memory journal records like the journal does")
    func memoryJournal() throws {
        let memory = MemoryJournal()
        let id = try memory.startSession(exerciseID: "e", title: "E", contentHash: "h", lastSnapshot: [:], startedAt: day(0.0004))
        #expect(try memory.record(answer("a", at: 1), session: id) == 1)
        try memory.saveDraft(JournalDraft(text: "b", savedAt: day(2)), session: id)
        #expect(try memory.record(answer("b!", at: 3), session: id) == 2)
        try memory.saveReflection("r", session: id)
        try memory.finish(session: id, status: .stopped, finalValues: ["a": .text("a")], endedAt: day(4))
        let session = try #require(try memory.session(id: id))
        #expect(session.startedAt == day())
        #expect(session.draft == nil)
        #expect(session.status == .stopped)
        #expect(session.inputs.map(\.input.text) == ["a", "b!"])
        #expect(throws: JournalError(.sessionEnded(id))) { try memory.record(answer("c", at: 5), session: id) }
    }
}

/// Collects failures from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}
