import Foundation
import Testing
@_spi(Bench) @testable import AttuneJournal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Exports")
struct ExportTests {
    @Test("Markdown reads as a person wrote it: prompts, answers with their line breaks, ratings, reflection, draft")
    func markdown() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        try sampleJournal(journal)
        let markdown = try journal.exportMarkdown(options: .init(timeZone: utc, exportedAt: day(3600)))
        let expected = """
            # Journal

            3 sessions, from 3 November 2025 to 28 November 2025. Exported from attune on 28 November 2025.

            ## Monday 3 November 2025, 09:30 · Linking past and present

            Finished after 13 minutes. Ratings: 7 → 4.

            **How strong is the feeling right now?**

            > 7

            **What happened today that reminded you of the past?**

            > The smell of rain.\u{20}\u{20}
            > It took me back to the schoolyard.
            >
            > I was \\*nine\\*.

            **Which part feels most alive?**

            > The feeling

            **Is there a name for it?**

            *Skipped.*

            **And now?**

            > 4

            **Reflection**

            You moved from 7 to 4. Notice what helped.

            ## Monday 10 November 2025, 10:30 · Box breathing

            Stopped partway, after 2 minutes. Rating: 5.

            **How activated do you feel right now?**

            > 5

            ## Friday 28 November 2025, 14:05 · Linking past and present

            Stopped partway, after 4 minutes. Ratings: 8 → 3.

            **How strong is the feeling right now?**

            > 8

            **What happened today that reminded you of the past?**

            > A phone call from my sister.

            **How strong is it as you remember?**

            > 3

            **What would you tell your younger self?**

            *Not finished (kept as a draft):*

            > That it was not\u{20}\u{20}
            > your fault

            """
        #expect(markdown == expected)
    }

    @Test("Markdown filters by exercise and date, and escapes our text and the person's so each reads as written")
    func markdownFilters() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        try sampleJournal(journal)
        let boxOnly = try journal.exportMarkdown(exercise: "box-breathing", options: .init(timeZone: utc, exportedAt: day()))
        #expect(boxOnly.hasPrefix("# Journal\n\n1 session, on 10 November 2025. Exported from attune on 28 November 2025.\n"))
        #expect(!boxOnly.contains("Linking past and present"))
        let since = try #require(JournalDates.startOfDay("2025-11-28", timeZone: utc))
        let recent = try journal.exportMarkdown(since: since, options: .init(timeZone: utc, exportedAt: day()))
        #expect(recent.contains("## Friday 28 November 2025"))
        #expect(!recent.contains("## Monday"))
        let none = try journal.exportMarkdown(exercise: "nothing", options: .init(timeZone: utc, exportedAt: day()))
        #expect(none == "# Journal\n\nNo sessions to show. Exported from attune on 28 November 2025.\n")

        let odd = JournalSession(
            id: SessionID(1), exerciseID: "e", exerciseTitle: "Stars *and* <tags>", contentHash: "h",
            startedAt: day(), endedAt: day(30), status: .finished, reflection: "You said: # *mine*",
            inputs: [
                RecordedInput(sequence: 1, input: answer("*mine*", at: 1, prompt: "What_is [it]?")),
                RecordedInput(sequence: 2, input: answer("# Premier\n> deuxième\n- a list?\n12. or 3) this\n<!-- the rest\nstays **Léa**",
                                                         at: 2, prompt: "More?")),
            ]
        )
        let text = JournalExport.markdown([odd], options: .init(timeZone: utc, exportedAt: day()))
        #expect(text.contains("## Friday 28 November 2025, 14:05 · Stars \\*and\\* \\<tags>\n"))
        #expect(text.contains("**What\\_is \\[it\\]?**\n\n> \\*mine\\*\n"))
        // No line of an answer becomes a heading, a quote, a list, hidden HTML or bold.
        #expect(text.contains("""
            > \\# Premier\u{20}\u{20}
            > \\> deuxième\u{20}\u{20}
            > \\- a list?\u{20}\u{20}
            > 12\\. or 3) this\u{20}\u{20}
            > \\<!-- the rest\u{20}\u{20}
            > stays \\*\\*Léa\\*\\*

            """))
        #expect(text.contains("Finished after 30 seconds."))
        #expect(text.contains("**Reflection**\n\nYou said: # \\*mine\\*\n"))
    }

    /// The JSON export, decoded with the standard decoder into the documented shape.
    struct Export: Decodable {
        struct Session: Decodable {
            struct Input: Decodable {
                var sequence: Int
                var kind: String
                var text: String?
                var moment: Double
                var givenAt: String
                var instruction: Int?
                var line: Int?
                var statement: String?
                var variable: String?
                var prompt: String?
            }
            struct Draft: Decodable {
                var instruction: Int?
                var variable: String?
                var prompt: String?
                var text: String
                var savedAt: String
            }
            var id: Int64
            var exerciseID: String
            var exerciseTitle: String
            var contentHash: String
            var startedAt: String
            var endedAt: String?
            var status: String
            var interrupted: Bool
            var lastSnapshot: [String: Value]
            var finalValues: [String: Value]?
            var reflection: String?
            var inputs: [Input]
            var draft: Draft?
        }
        enum Value: Decodable, Equatable {
            case text(String)
            case number(Int64)
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Int64.self) {
                    self = .number(number)
                } else {
                    self = .text(try container.decode(String.self))
                }
            }
        }
        var format: String
        var version: Int
        var exportedAt: String
        var sessions: [Session]
    }

    @Test("JSON has every field and parses back")
    func json() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        let ids = try sampleJournal(journal)
        let text = try journal.exportJSON(exportedAt: day(3600))
        let export = try JSONDecoder().decode(Export.self, from: Data(text.utf8))
        #expect(export.format == "attune-journal")
        #expect(export.version == 1)
        #expect(export.exportedAt == "2025-11-28T15:05:00.000Z")
        #expect(export.sessions.map(\.id) == ids.map(\.rawValue))

        let first = export.sessions[0]
        #expect(first.exerciseID == "linking-past-and-present")
        #expect(first.exerciseTitle == "Linking past and present")
        #expect(first.contentHash == "sha256:aa11")
        #expect(first.startedAt == "2025-11-03T09:30:00.000Z")
        #expect(first.endedAt == "2025-11-03T09:42:30.000Z")
        #expect(first.status == "finished")
        #expect(first.interrupted == false)
        #expect(first.finalValues == ["before": .number(7), "after": .number(4), "part": .text("The feeling")])
        #expect(first.reflection == "You moved from 7 to 4. Notice what helped.")
        #expect(first.inputs.map(\.kind) == ["confirm", "answer", "answer", "answer", "skip", "answer"])
        #expect(first.inputs[2].text == "The smell of rain.\nIt took me back to the schoolyard.\n\nI was *nine*.")
        #expect(first.inputs[2].moment == 140)
        #expect(first.inputs[2].givenAt == "2025-11-03T09:32:20.000Z")
        #expect(first.inputs[2].instruction == 5)
        #expect(first.inputs[2].line == 12)
        #expect(first.inputs[2].statement == "write")
        #expect(first.inputs[2].variable == "story")
        #expect(first.inputs[2].prompt == "What happened today that reminded you of the past?")
        #expect(first.draft == nil)

        let second = export.sessions[1]
        #expect(second.inputs.map(\.kind) == ["answer", "pause", "resume", "stopStep"])
        #expect(second.inputs[3].moment == 95.5)
        #expect(second.inputs[1].text == nil)

        let third = export.sessions[2]
        #expect(third.status == "stopped")
        #expect(third.lastSnapshot == ["before": .number(7), "after": .number(4)])
        #expect(third.draft?.text == "That it was not\nyour fault")
        #expect(third.draft?.instruction == 7)
        #expect(third.draft?.savedAt == "2025-11-28T14:09:00.000Z")

        #expect(try journal.exportJSON(exercise: "none", exportedAt: day()).contains("\"sessions\": []"))
    }

    @Test("JSON straight from the rows is byte for byte the JSON of the sessions in memory")
    func jsonStreamed() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        // Sessions without inputs first, between and last; one running (live), one with a draft.
        try runSession(journal, exercise: "empty", at: november3.addingTimeInterval(-90_000), ratings: [])
        try sampleJournal(journal)
        try runSession(journal, exercise: "empty", at: day(90_000), ratings: [])
        _ = try journal.startSession(exerciseID: "live", title: "Live", contentHash: "h", lastSnapshot: ["q": .text("\"")], startedAt: day(100_000))
        let since = try #require(JournalDates.startOfDay("2025-11-10", timeZone: utc))
        for (exercise, from) in [(nil, nil), ("linking-past-and-present", nil), (nil, since), ("empty", since), ("none", nil)] as [(String?, Date?)] {
            let streamed = try journal.exportJSON(exercise: exercise, since: from, exportedAt: day())
            let inMemory = JournalExport.json(try journal.fullSessions(exercise: exercise, since: from), exportedAt: day())
            #expect(streamed == inMemory, "exercise \(exercise ?? "all"), since \(String(describing: from))")
        }
        let all = try JSONDecoder().decode(Export.self, from: Data(try journal.exportJSON(exportedAt: day()).utf8))
        #expect(all.sessions.map(\.exerciseID) == ["empty", "linking-past-and-present", "box-breathing", "linking-past-and-present", "empty", "live"])
        #expect(all.sessions.map(\.inputs.count) == [0, 6, 4, 4, 0, 0])
    }

    @Test("JSON handed over in pieces: each piece about the chunk size, together the whole export")
    func jsonInPieces() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        // Enough sessions for several pieces (each session's JSON is about 1.5 KB), in one go.
        let text = String(repeating: "A long answer, as people write them. ", count: 20)
        try journal.importSessions((0..<400).map { number in
            JournalSession(
                id: SessionID(1), exerciseID: "e", exerciseTitle: "E", contentHash: "h",
                startedAt: day(Double(number) * 3600), status: .finished, isInterrupted: false, lastSnapshot: [:],
                inputs: [RecordedInput(sequence: 1, input: answer(text, at: 1))]
            )
        })
        var pieces: [[UInt8]] = []
        try journal.exportJSON(exportedAt: day()) { pieces.append(Array($0)) }
        let whole = try journal.exportJSON(exportedAt: day())
        #expect(pieces.count >= 2)
        #expect(pieces.dropLast().allSatisfy { $0.count >= Journal.exportChunkSize && $0.count < Journal.exportChunkSize + 16_384 })
        #expect(String(decoding: pieces.joined(), as: UTF8.self) == whole)
    }

    @Test("An export abandoned half way (an error while writing) leaves the target as it was and no temporary file")
    func abandonedExportFile() throws {
        let home = try TemporaryHome()
        let target = home.root + "/journal.json"
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: target))
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            let file = try AtomicExportFile(path: target)
            try Array("{\"half\": ".utf8).withUnsafeBufferPointer { try file.write($0) }
            throw Interrupted()
        }
        #expect(fileBytes(target) == Data("keep me\n".utf8))
        #expect(filesIn(home.root) == ["journal.json"])
        let finished = try AtomicExportFile(path: target)
        try Array("new".utf8).withUnsafeBufferPointer { try finished.write($0) }
        try finished.commit()
        #expect(fileBytes(target) == Data("new".utf8))
        let again = #expect(throws: JournalError.self) { try finished.commit() }
        #expect(again?.code == .exportFailed)
    }

    @Test("JSON keeps awkward text and extreme numbers exactly")
    func jsonEdges() throws {
        let awkward = "quote \" backslash \\ tab \t newline \n bell \u{07} nul \u{0} emoji 🌧️ accents éü"
        let session = JournalSession(
            id: SessionID(4), exerciseID: "e", exerciseTitle: awkward, contentHash: "h",
            startedAt: day(), status: .running, isInterrupted: true,
            lastSnapshot: ["big": .number(.max), "small": .number(.min), "words": .text(awkward)],
            inputs: [RecordedInput(sequence: 1, input: answer(awkward, at: 0.1 + 0.2))]
        )
        let text = JournalExport.json([session], exportedAt: day())
        let export = try JSONDecoder().decode(Export.self, from: Data(text.utf8))
        #expect(export.sessions[0].exerciseTitle == awkward)
        #expect(export.sessions[0].inputs[0].text == awkward)
        #expect(export.sessions[0].inputs[0].moment == 0.1 + 0.2)
        #expect(export.sessions[0].lastSnapshot == ["big": .number(.max), "small": .number(.min), "words": .text(awkward)])
        #expect(export.sessions[0].endedAt == nil)
        #expect(export.sessions[0].finalValues == nil)
        #expect(export.sessions[0].interrupted)

        // The stored form of values reads back exactly, escapes included.
        let values: [String: JournalValue] = ["a": .text(awkward), "b": .number(.min), "é": .text("\u{1F327}")]
        #expect(JSONText.parseValues(JSONText.values(values)) == values)
        #expect(JSONText.parseValues(#"{"x": "\ud83c\udf27", "y": -5, "z": null}"#) == ["x": .text("🌧"), "y": .number(-5)])
        #expect(JSONText.parseValues(#"{"x": 1.5}"#) == nil)
        // The public face of the same form, and Codable agreeing with it.
        #expect(JournalValue.json(["b": .number(2), "a": .text("x")]) == #"{"a":"x","b":2}"#)
        #expect(JournalValue.values(json: #"{"a":"x","b":2}"#) == ["a": .text("x"), "b": .number(2)])
        let coded = try JSONEncoder().encode([JournalValue.number(.min), .text("7")])
        #expect(String(decoding: coded, as: UTF8.self) == #"[-9223372036854775808,"7"]"#)
        #expect(try JSONDecoder().decode([JournalValue].self, from: coded) == [.number(.min), .text("7")])
        #expect(throws: (any Error).self) { try JSONDecoder().decode([JournalValue].self, from: Data("[1.5]".utf8)) }
        #expect(JSONText.parseValues(#"{"x": 1} trailing"#) == nil)
        #expect(JSONText.parseValues("not json") == nil)
    }

    @Test("The JSON writer escapes exactly what JSON needs, wherever it falls, and recognises stored dates")
    func jsonWriterPieces() {
        func quoted(_ text: String) -> String {
            let buffer = TextBuffer()
            var text = text
            text.withUTF8 { buffer.appendJSONString(bytes: $0) }
            return buffer.text
        }
        #expect(quoted("") == #""""#)
        #expect(quoted("plain text longer than eight bytes") == #""plain text longer than eight bytes""#)
        // An escape in the first eight bytes, at a word's edge, and in the tail.
        #expect(quoted("a\"b") == #""a\"b""#)
        #expect(quoted("12345678\\9") == #""12345678\\9""#)
        #expect(quoted("1234567\n") == #""1234567\n""#)
        #expect(quoted("tab\there, bell\u{07}, nul\u{0}, é🌧️") == #""tab\there, bell\u0007, nul\u0000, é🌧️""#)
        let good = Array("2025-11-28T14:05:12.345Z".utf8)
        #expect(good.withUnsafeBufferPointer(JournalDates.isStorageForm))
        for bad in ["2025-11-28 14:05:12.345Z", "2025-11-28T14:05:12.345", "2025-11-28T14:05:1x.345Z", "2025/11/28T14:05:12.345Z"] {
            #expect(!Array(bad.utf8).withUnsafeBufferPointer(JournalDates.isStorageForm), "\(bad)")
        }
        for (json, isObject) in [(#"{"a": "x\"y", "b": -5}"#, true), (#"{"a": "12345678"#, false), ("{}", true), ("[]", false)] {
            #expect(Array(json.utf8).withUnsafeBufferPointer(JSONText.isObject) == isObject, "\(json)")
        }
    }

    @Test("Export to a file is atomic: 0600 temporary file beside the target, renamed over it, nothing left behind")
    func atomicFile() throws {
        let home = try TemporaryHome()
        let folder = home.root + "/exports"
        try FileSystem.ensureFolder(folder)
        let target = folder + "/journal.md"
        try Data("an older export\n".utf8).write(to: URL(fileURLWithPath: target))
        chmod(target, 0o644)

        var seen: [(path: String, mode: Int?, bytes: Data?, targetThen: Data?)] = []
        try JournalExport.write("the new export\n", toFile: target) { temporary in
            seen.append((temporary, permissions(temporary), fileBytes(temporary), fileBytes(target)))
        }
        let temporary = try #require(seen.first)
        #expect((temporary.path as NSString).deletingLastPathComponent == folder)
        #expect(temporary.mode == 0o600)
        #expect(temporary.bytes == Data("the new export\n".utf8))
        #expect(temporary.targetThen == Data("an older export\n".utf8))  // untouched until the rename
        #expect(fileBytes(target) == Data("the new export\n".utf8))
        #expect(permissions(target) == 0o600)
        #expect(filesIn(folder) == ["journal.md"])
    }

    @Test("A failed export changes nothing and leaves no temporary file")
    func atomicFileFailure() throws {
        let home = try TemporaryHome()
        let target = home.root + "/journal.md"
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: target))
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try JournalExport.write("new\n", toFile: target) { _ in throw Interrupted() }
        }
        #expect(fileBytes(target) == Data("keep me\n".utf8))
        #expect(filesIn(home.root) == ["journal.md"])

        let missing = #expect(throws: JournalError.self) { try JournalExport.write("x", toFile: home.root + "/no/such/folder/x.md") }
        #expect(missing?.code == .exportFailed)
        let folder = #expect(throws: JournalError.self) { try JournalExport.write("x", toFile: home.root) }
        #expect(folder?.message.contains("that is a folder") == true)
    }

    @Test("An export through a symbolic link writes the file it names and keeps the link; a pipe or device is refused")
    func exportThroughALinkAndToSpecialFiles() throws {
        let home = try TemporaryHome()
        let real = home.root + "/notes.md"
        let link = home.root + "/link.md"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: real))
        #expect(symlink("notes.md", link) == 0)
        try JournalExport.write("new\n", toFile: link)
        var info = stat()
        #expect(lstat(link, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
        #expect(fileBytes(real) == Data("new\n".utf8))

        let pipe = home.root + "/pipe"
        #expect(mkfifo(pipe, 0o600) == 0)
        let refused = #expect(throws: JournalError.self) { try JournalExport.write("x", toFile: pipe) }
        #expect(refused?.message.contains("not a regular file") == true)
        #expect(lstat(pipe, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
        #expect(filesIn(home.root).sorted() == ["link.md", "notes.md", "pipe"])
    }
}
