import Foundation
import Testing
@testable import AttuneJournal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tests that need separate processes: two attune processes writing at once, and a real file
/// size limit (`RLIMIT_FSIZE`, set by the child on itself). The child is `AttuneJournalBench`,
/// built beside the test bundle.
@Suite("Separate processes")
struct ProcessTests {
    static var helper: String? {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        for folder in candidates.compactMap({ $0 }) {
            var url = folder
            // On macOS the tests run inside an .xctest bundle: go up to the products folder.
            while url.path != "/", url.path.contains(".xctest") { url = url.deletingLastPathComponent() }
            let path = url.appendingPathComponent("AttuneJournalBench").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// A running child.
    struct Child {
        let process: Process
        let output: Pipe
        let errors: Pipe

        func finish() -> (status: Int32, output: String, errors: String) {
            let out = output.fileHandleForReading.readDataToEndOfFile()
            let err = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
        }
    }

    static func run(_ arguments: [String]) throws -> Child {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(helper, "AttuneJournalBench is built with the tests"))
        process.arguments = arguments
        let child = Child(process: process, output: Pipe(), errors: Pipe())
        process.standardOutput = child.output
        process.standardError = child.errors
        try process.run()
        return child
    }

    @Test("Two attune processes writing to a new journal at once both keep every answer")
    func twoProcesses() throws {
        let home = try TemporaryHome()
        let folder = home.location.folder
        let count = 200
        let first = try Self.run(["writer", folder, String(count), "one"])
        let second = try Self.run(["writer", folder, String(count), "two"])
        let results = [first.finish(), second.finish()]
        for result in results {
            #expect(result.status == 0, "\(result.errors)")
            #expect(!result.errors.contains("locked"))
        }
        let journal = try home.openJournal(.readingOnly)
        let sessions = try journal.fullSessions()
        #expect(sessions.map(\.exerciseID).sorted() == ["one", "two"])
        for session in sessions {
            #expect(session.status == .finished)
            #expect(session.inputs.map(\.sequence) == Array(1...count))
            #expect(session.inputs.map(\.input.text) == (1...count).map { "\(session.exerciseID) answer \($0)" })
        }
        let check = try journal.database?.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(check == ["ok"])
    }

    @Test("kill -9 mid-session: every answer confirmed is kept, the journal is sound, and the session resumes", arguments: [3, 17, 40])
    func killed(after count: Int) throws {
        let home = try TemporaryHome()
        let child = try Self.run(["kill-target", home.location.folder])
        // Read "committed N" lines until N reaches `count`, then kill without warning.
        var seen = ""
        var confirmed = 0
        let reader = child.output.fileHandleForReading
        while confirmed < count {
            let data = reader.availableData
            guard !data.isEmpty else { break }
            seen += String(decoding: data, as: UTF8.self)
            confirmed = seen.split(separator: "\n").compactMap { $0.hasPrefix("committed ") ? Int($0.dropFirst(10)) : nil }.max() ?? 0
        }
        kill(child.process.processIdentifier, SIGKILL)
        child.process.waitUntilExit()
        #expect(child.process.terminationReason == .uncaughtSignal)
        #expect(confirmed >= count)

        let journal = try home.openJournal()
        #expect(journal.isWritable)
        let check = try journal.database?.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(check == ["ok"])
        let found = try #require(try journal.mostRecentStopped())
        #expect(found.isInterrupted)
        let session = try journal.resume(session: found.id)
        // Everything confirmed is there, in order, with nothing missing (perhaps one more that
        // was committed but not yet reported).
        let kept = session.inputs.count
        #expect(kept >= confirmed && kept <= confirmed + 1)
        #expect(session.inputs.map(\.input.text) == (1...kept).map { "answer \($0)" })
        #expect(session.inputs.map(\.sequence) == Array(1...kept))
        // The draft of the next answer was saved before "committed" was said.
        if kept == confirmed {
            #expect(session.draft?.text == "half of \(kept + 1)")
        } else {
            #expect(session.draft == nil || session.draft?.text == "half of \(kept + 1)")
        }
        #expect(try journal.record(answer("after the crash", at: 1), session: found.id) == kept + 1)
        try journal.finish(session: found.id, status: .finished, finalValues: [:], endedAt: day())
    }

    @Test("A real file-size limit (RLIMIT_FSIZE): told once, nothing typed is lost, the export is whole")
    func fileSizeLimit() throws {
        let home = try TemporaryHome()
        let folder = home.location.folder
        let result = try Self.run(["fsize-probe", folder]).finish()
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "notices 1")
        let notice = try #require(lines.first { $0.hasPrefix("notice ") && !$0.hasPrefix("notices") })
        #expect(notice.hasPrefix("notice notWritable: ") || notice.hasPrefix("notice diskFull: "))
        #expect(notice.contains("disk may be full") || notice.contains("is full"))
        #expect(lines.contains("in memory 41"))
        let kept = try #require(lines.first { $0.hasPrefix("in journal ") }.flatMap { Int($0.dropFirst(11)) })
        #expect(kept >= 1 && kept < 41)
        let text = String(decoding: try #require(fileBytes(folder + "/rescued.md")), as: UTF8.self)
        #expect(text.contains("> before the limit"))
        #expect(text.contains("**Prompt 40?**"))
        // The journal stays sound: what it holds is a clean prefix.
        let journal = try home.openJournal(.readingOnly)
        #expect(journal.problem == nil)
        let check = try journal.database?.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(check == ["ok"])
    }
}
