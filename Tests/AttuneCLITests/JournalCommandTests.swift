import Foundation
import Testing

/// An attune process driven line by line: answers written one at a time, output read as
/// it comes, so a test can act at a given prompt (and kill the process there).
final class LiveProcess {
    let process = Process()
    private let stdin = Pipe()
    private let stdout = Pipe()
    private(set) var output = ""

    init(_ arguments: [String], home: URL) throws {
        process.executableURL = AttuneProcess.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ATTUNE_HOME"] = home.path
        environment["TERM"] = "dumb"
        process.environment = environment
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let descriptor = stdout.fileHandleForReading.fileDescriptor
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    func send(_ line: String) {
        stdin.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Reads until the output contains `text` (waiting at most 20 s), true when it did.
    func waitFor(_ text: String) -> Bool {
        let descriptor = stdout.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(20)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !output.contains(text) && Date() < deadline {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&entry, 1, 100)
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 { output += String(decoding: buffer[..<count], as: UTF8.self) }
        }
        return output.contains(text)
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

@Suite("The journal through the CLI", .serialized)
struct JournalCommandTests {
    static let narrative = """
        title: Linking
        ---
        @if last.need
          Last time you said you needed {last.need}.
        @rate before "Distress now" 0..10
        @ask happened "What happened?"
        @pause 1s
        @ask felt "What did you feel in your body?"
        @choose familiar "Has it felt like this before?"
          - Yes
          - No
        @ask need "What do you need now?"
        @rate after "Distress after" 0..10
        @reflect
          {happened}: I felt {felt}. I need {need}.
        """

    func home(with exercise: String = narrative) throws -> URL {
        let home = try AttuneProcess.temporaryFolder()
        let exercises = home.appendingPathComponent("exercises")
        try FileManager.default.createDirectory(at: exercises, withIntermediateDirectories: true)
        _ = try AttuneProcess.write(exercise, named: "linking.attune", in: exercises)
        return home
    }

    @Test func aSecondSessionSeesTheLastOne() throws {
        let home = try home()
        let first = try AttuneProcess.run(["run", "linking", "--instant"],
                                          input: "6\nan email\ntight jaw\n1\na walk\n3\n", home: home)
        #expect(first.status == 0)
        #expect(!first.standardOutput.contains("Last time"))
        let second = try AttuneProcess.run(["run", "linking", "--instant"], input: "5\n", home: home)
        #expect(second.standardOutput.contains("Last time you said you needed a walk."))
    }

    @Test func stopResumeAndReadItBack() throws {
        let home = try home()
        // The input ends in the middle of an answer: it is kept as a draft.
        let stopped = try AttuneProcess.run(["run", "linking", "--instant"], input: "8\na phone call\nI was half", home: home)
        #expect(stopped.status == 0)
        #expect(stopped.standardOutput.hasSuffix("What did you feel in your body?\n\nStopped at 0:01. What you wrote is kept, with your unfinished answer as a draft; `attune resume` carries on from here.\n"))
        let resumed = try AttuneProcess.run(["resume", "--instant"], input: "I was half frozen\nYes\nrest\n2\n", home: home)
        #expect(resumed.status == 0)
        #expect(resumed.standardOutput.contains("""
            Picking up where you left off, at 0:01.

            What did you feel in your body?
            (You had begun to answer: I was half)
            > I was half frozen
            """))
        #expect(resumed.standardOutput.contains("a phone call: I felt I was half frozen. I need rest."))
        let history = try AttuneProcess.run(["history"], home: home)
        #expect(history.standardOutput.contains("finished"))
        #expect(history.standardOutput.contains("8 -> 2"))
        let show = try AttuneProcess.run(["show", "1"], home: home)
        #expect(show.standardOutput.contains("I was half frozen"))
        #expect(show.standardOutput.contains("Yes"))
        let markdown = try AttuneProcess.run(["export"], home: home)
        #expect(markdown.standardOutput.contains("**What happened?**\n\n> a phone call"))
        #expect(markdown.standardOutput.contains("a phone call: I felt I was half frozen. I need rest."))
        let json = try AttuneProcess.run(["export", "--format", "json", "--exercise", "linking"], home: home)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect((parsed?["sessions"] as? [Any])?.count == 1)
        let nothingToResume = try AttuneProcess.run(["resume"], home: home)
        #expect(nothingToResume.status == 2)
    }

    @Test func answersAskedAgainAreNotKeptAndASkipIsKeptAsOne() throws {
        let home = try home()
        // 15 and "eleven" are out of the range, " 4 " is 4; "3" for the menu is not an
        // option; `/skip` leaves the last question unanswered.
        let run = try AttuneProcess.run(["run", "linking", "--instant"],
                                        input: "15\neleven\n 4 \nan email\ntight jaw\n3\nno\n/skip\n2\n", home: home)
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("Please answer with a whole number from 0 to 10"))
        let history = try AttuneProcess.run(["history"], home: home)
        #expect(history.standardOutput.contains("4 -> 2"))
        #expect(!history.standardOutput.contains("15 ->"))
        let show = try AttuneProcess.run(["show", "1"], home: home)
        // Each answer is on its own indented line (the times of day may hold any digits).
        for rejected in ["\n  15\n", "\n  eleven\n", "\n  3\n", "/skip"] {
            #expect(!show.standardOutput.contains(rejected), "\(rejected) is in the session: \(show.standardOutput)")
        }
        #expect(show.standardOutput.contains("No"))
        let markdown = try AttuneProcess.run(["export"], home: home)
        #expect(!markdown.standardOutput.contains("eleven"))
        #expect(!markdown.standardOutput.contains("/skip"))
    }

    @Test func ctrlCStopsAnInstantRunOfAnExerciseThatNeverEnds() throws {
        let home = try home(with: "title: Forever\n---\n@section again\n@pause 1s\n@goto again\n")
        let live = try LiveProcess(["run", "linking", "--instant", "--no-journal"], home: home)
        #expect(live.waitFor("[pause 1s]"))
        kill(live.process.processIdentifier, SIGINT)
        // Reading on, so a full pipe cannot hold it up.
        let stopped = live.waitFor("Stopped at")
        #expect(stopped)
        guard stopped else { return live.kill9() }
        live.process.waitUntilExit()
        #expect(live.process.terminationStatus == 0)
    }

    @Test func aChangedExerciseKeepsOnlyTheAnswersThatStillFit() throws {
        let home = try home()
        _ = try AttuneProcess.run(["run", "linking", "--instant"], input: "7\na phone call\ntight\n", home: home)
        let changed = Self.narrative.replacingOccurrences(of: "What did you feel in your body?",
                                                          with: "Where in your body did you feel it?")
        _ = try AttuneProcess.write(changed, named: "linking.attune", in: home.appendingPathComponent("exercises"))
        let resumed = try AttuneProcess.run(["resume", "--instant"], input: "my chest\nNo\nquiet\n4\n", home: home)
        #expect(resumed.status == 0)
        #expect(resumed.standardError.contains("Your first 2 answers still fit and go with you; from “What did you feel in your body?” on, it asks afresh."))
        #expect(resumed.standardOutput.contains("Where in your body did you feel it?\n> my chest"))
        #expect(resumed.standardOutput.contains("a phone call: I felt my chest. I need quiet."))
        let history = try AttuneProcess.run(["history"], home: home)
        #expect(history.standardOutput.contains("continued"))
        #expect(history.standardOutput.contains("finished"))
    }

    @Test func killedWhileWritingTheLinesAlreadyWrittenAreKept() throws {
        let home = try home(with: """
            title: Writing
            ---
            @write story "Write it out; /done finishes."
            You wrote: {story}.

            """)
        let live = try LiveProcess(["run", "linking", "--instant"], home: home)
        #expect(live.waitFor("/done finishes."))
        live.send("the first line")
        live.send("and the second")
        // Each finished line is kept as a draft; wait until the journal has both.
        var shown = ""
        for _ in 0..<200 {
            shown = try AttuneProcess.run(["show", "1"], home: home).standardOutput
            if shown.contains("and the second") { break }
            usleep(50_000)
        }
        live.kill9()
        #expect(shown.contains("the first line\n    and the second"), "\(shown)")
        let resumed = try AttuneProcess.run(["resume", "--instant"], input: "/done\n", home: home)
        #expect(resumed.standardOutput.contains("(You had begun to answer: the first line\nand the second)"))
    }

    @Test func aJournalThatCannotBeOpenedStillOffersTheAnswersToAFile() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write("title: T\n---\n@ask a \"Word?\"\nThanks.\n", in: folder)
        // ATTUNE_HOME is a file: no journal can be made there.
        let home = folder.appendingPathComponent("home")
        try Data().write(to: home)
        let saved = folder.appendingPathComponent("saved.md").path
        let run = try AttuneProcess.run(["run", path, "--instant"], input: "precious words\n\(saved)\n", home: home)
        #expect(run.status == 0)
        #expect(run.standardError.contains("At the end you can save your answers to a file."))
        #expect(!run.standardOutput.contains("What you wrote is kept"))
        #expect(try String(contentsOfFile: saved, encoding: .utf8).contains("> precious words"))
        // Reading it says why there is nothing, rather than "No sessions yet".
        let history = try AttuneProcess.run(["history"], home: home)
        #expect(history.status == 2)
        #expect(history.standardError.contains("is a file, not a folder"))
    }

    @Test func anExportThatCannotBeWrittenOutSaysSoAndFails() throws {
        let home = try home()
        _ = try AttuneProcess.run(["run", "linking", "--instant"], input: "4\nsecret words\n", home: home)
        for arguments in [["export"], ["export", "--format", "json"], ["history"], ["show", "1"]] {
            let process = Process()
            process.executableURL = AttuneProcess.binary
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment["ATTUNE_HOME"] = home.path
            process.environment = environment
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 2, "\(arguments)")
            #expect(said.contains("could not be written in full (no space left on device)"), "\(arguments): \(said)")
        }
    }

    @Test func aNulByteInAnAnswerIsKeptAsShownNotCutShort() throws {
        let home = try home()
        let run = try AttuneProcess.run(["run", "linking", "--instant"], input: "4\nnul\u{0}after\n", home: home)
        #expect(run.standardOutput.contains("> nul\u{FFFD}after"))
        let show = try AttuneProcess.run(["show", "1"], home: home)
        #expect(show.standardOutput.contains("  nul\u{FFFD}after\n"))
    }

    @Test func resumingAsksTheCautionAgain() throws {
        let home = try home(with: """
            title: Careful
            caution: Never in water or while driving.
            ---
            @ask first "First?"
            @ask second "Second?"
            Done: {first}, {second}.

            """)
        _ = try AttuneProcess.run(["run", "linking", "--instant"], input: "yes\none\n/stop\n", home: home)
        // Declined: nothing more runs, and the session can still be resumed.
        let declined = try AttuneProcess.run(["resume", "--instant"], input: "n\n", home: home)
        #expect(declined.status == 0)
        #expect(declined.standardOutput.contains("""
            Picking up where you left off, at 0:00.

            Before you go on: Never in water or while driving.

            Do you want to go on? (y/n)
            > n

            That is all right. The session is kept as it was; `attune resume` goes on whenever you are ready.
            """))
        #expect(!declined.standardOutput.contains("Second?"))
        let confirmed = try AttuneProcess.run(["resume", "--instant"], input: "yes\ntwo\n", home: home)
        #expect(confirmed.standardOutput.contains("Do you want to go on? (y/n)\n> yes\n\nSecond?"))
        #expect(confirmed.standardOutput.contains("Done: one, two."))
    }

    @Test func aChangedFirstQuestionSaysItAsksAfreshWithoutCountingNoAnswers() throws {
        let home = try home()
        _ = try AttuneProcess.run(["run", "linking", "--instant"], input: "7\n", home: home)
        let changed = Self.narrative.replacingOccurrences(of: "Distress now", with: "How much distress now?")
        _ = try AttuneProcess.write(changed, named: "linking.attune", in: home.appendingPathComponent("exercises"))
        let resumed = try AttuneProcess.run(["resume", "--instant"], input: "5\n", home: home)
        #expect(resumed.standardError.contains("This exercise has changed since session 1. It asks afresh from “Distress now”."))
        #expect(!resumed.standardError.contains("first 0"))
    }

    @Test func exportToAFileAndDeleteForGood() throws {
        let home = try home()
        _ = try AttuneProcess.run(["run", "linking", "--instant"], input: "4\nsecret words\n", home: home)
        let file = home.appendingPathComponent("out/journal.md")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let exported = try AttuneProcess.run(["export", "--output", file.path], home: home)
        #expect(exported.status == 0)
        #expect(try String(contentsOf: file, encoding: .utf8).contains("secret words"))
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["journal.md"])
        let refused = try AttuneProcess.run(["delete", "1"], home: home)
        #expect(refused.status == 64)
        let deleted = try AttuneProcess.run(["delete", "1", "--yes"], home: home)
        #expect(deleted.status == 0)
        let show = try AttuneProcess.run(["show", "1"], home: home)
        #expect(show.status == 2)
    }

    @Test func noJournalKeepsNothing() throws {
        let home = try home()
        let result = try AttuneProcess.run(["run", "linking", "--instant", "--no-journal"], input: "4\nprivate\n", home: home)
        #expect(result.status == 0)
        #expect(!result.standardOutput.contains("attune resume"))
        let files = try FileManager.default.contentsOfDirectory(atPath: home.path)
        #expect(files == ["exercises"])
    }

    @Test func noJournalStillReadsTheLastFinishedSession() throws {
        let home = try home()
        _ = try AttuneProcess.run(["run", "linking", "--instant"], input: "6\nan email\ntight jaw\n1\na walk\n3\n", home: home)
        let private_ = try AttuneProcess.run(["run", "linking", "--instant", "--no-journal"], input: "5\n", home: home)
        #expect(private_.standardOutput.contains("Last time you said you needed a walk."))
        let history = try AttuneProcess.run(["history"], home: home)
        #expect(history.standardOutput.contains(" 1  "))
        #expect(!history.standardOutput.contains(" 2  "))
    }

    @Test func theJournalIsPrivateWhateverTheUmask() throws {
        let home = try home()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "umask 000; printf '4\\nx\\n' | \"$0\" run linking --instant >/dev/null", AttuneProcess.binary.path]
        var environment = ProcessInfo.processInfo.environment
        let journalHome = home.appendingPathComponent("fresh")
        environment["ATTUNE_HOME"] = journalHome.path
        process.environment = environment
        _ = try AttuneProcess.write(Self.narrative, named: "linking.attune", in: home)
        process.arguments = ["-c", "umask 000; printf '4\\nx\\n' | \"$0\" run \"$1\" --instant >/dev/null",
                             AttuneProcess.binary.path, home.appendingPathComponent("linking.attune").path]
        try process.run()
        process.waitUntilExit()
        let manager = FileManager.default
        #expect((try manager.attributesOfItem(atPath: journalHome.path)[.posixPermissions] as? Int) == 0o700)
        for name in try manager.contentsOfDirectory(atPath: journalHome.path) {
            let path = journalHome.appendingPathComponent(name).path
            let mode = try manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            var isFolder: ObjCBool = false
            _ = manager.fileExists(atPath: path, isDirectory: &isFolder)
            #expect(mode == (isFolder.boolValue ? 0o700 : 0o600), "\(name)")
        }
    }

    @Test func killedAtAnyStepEveryConfirmedAnswerIsKeptAndResumeGoesOn() throws {
        // Kill after each of several answers: at a prompt, in a timed step, at a menu.
        let answers = ["6", "a loud meeting", "shoulders up", "Yes", "some quiet"]
        let prompts = ["What happened?", "What did you feel", "Has it felt like this before?", "What do you need now?",
                       "Distress after"]
        for kill in 1...answers.count {
            let home = try home()
            let live = try LiveProcess(["run", "linking", "--plain"], home: home)
            #expect(live.waitFor("Distress now"))
            for index in 0..<kill {
                live.send(answers[index])
                #expect(live.waitFor(prompts[index]), "prompt \(index)")
            }
            live.kill9()
            let show = try AttuneProcess.run(["show", "1"], home: home)
            for answer in answers.prefix(kill) {
                #expect(show.standardOutput.contains(answer), "after \(kill) answers: \(answer)")
            }
            let rest = answers.dropFirst(kill) + (kill == answers.count ? ["2"] : ["2"])
            let resumed = try AttuneProcess.run(["resume", "--instant"], input: rest.joined(separator: "\n") + "\n", home: home)
            #expect(resumed.status == 0)
            #expect(resumed.standardOutput.contains("a loud meeting: I felt shoulders up. I need some quiet."),
                    "after \(kill) answers:\n\(resumed.standardOutput)")
        }
    }

    @Test func twoSessionsAtOnceBothKeepEverything() throws {
        let home = try home()
        let first = try LiveProcess(["run", "linking", "--plain"], home: home)
        let second = try LiveProcess(["run", "linking", "--plain"], home: home)
        #expect(first.waitFor("Distress now"))
        #expect(second.waitFor("Distress now"))
        for (index, answer) in ["3", "first story", "first body", "No", "first need", "1"].enumerated() {
            first.send(answer)
            second.send(["4", "second story", "second body", "Yes", "second need", "2"][index])
        }
        #expect(first.waitFor("Finished"))
        #expect(second.waitFor("Finished"))
        first.process.waitUntilExit()
        second.process.waitUntilExit()
        let export = try AttuneProcess.run(["export"], home: home)
        for text in ["first story", "first need", "second story", "second need"] {
            #expect(export.standardOutput.contains(text))
        }
    }
}

@Suite("Resuming an exercise run by its path")
struct PathResumeTests {
    @Test func aSessionOfAFileRunByPathCanBeResumed() throws {
        let home = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write("title: Story\n---\n@ask a \"First?\"\n@ask b \"Second?\"\n{a} and {b}.\n",
                                           named: "story.attune", in: home)
        _ = try AttuneProcess.run(["run", path, "--instant"], input: "one\n", home: home)
        let resumed = try AttuneProcess.run(["resume", "--instant"], input: "two\n", home: home)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardOutput.contains("one and two."))
    }
}
