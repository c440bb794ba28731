import Glibc
import Testing
@testable import AttuneTerminal

/// Exercises for the pty tests: every timed step lasts an hour, so a test ends each with a
/// key and never waits for a timer.
enum Exercises {
    static let steps = """
        title: Steps
        ---
        Settle in.
        @breathe in 1h hold 1h out 1h
        @pause 1h "Resting here"
        That was all.

        """

    static let prompts = """
        title: Prompts
        ---
        @ask name "What shall we call it?"
        @choose lens "Which would you like?"
          - Notice the breath
          - Name five things
        @ask other "Anything else?"

        """

    static let stepThenPrompt = """
        title: Step then prompt
        ---
        @pause 1h
        @ask word "One word for now?"

        """

    static let caution = """
        title: Careful
        caution: Stop if you feel dizzy.
        ---
        @bell
        @ask word "One word?"

        """

    static let multiline = """
        title: Lines
        ---
        @ask story "Tell it in a few lines." multiline
        @write notes "Write a little."
        @rate calm "How calm?" 0..10

        """
}

/// `attune run` on a pty: prompts with readline, timed steps with keys, signals, resizing,
/// and the terminal's settings the same afterwards as before, whatever the way out.
@Suite(.serialized)
struct TerminalSessionTests {
    private func start(_ exercise: String, file: String = "exercise.attune", size: WindowSize = WindowSize(columns: 80, rows: 24),
                       term: String = "xterm-256color", color: Bool = false) throws -> PtySession {
        try PtySession(["run", "{folder}/\(file)"], files: [file: exercise], size: size, term: term, color: color)
    }

    private func expectRestored(_ session: PtySession, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(session.settings == session.settingsBefore, "the terminal settings differ from before attune started",
                sourceLocation: sourceLocation)
    }

    @Test func thePacerShowsEachBreathPhaseOnTheTerminal() throws {
        let session = try start(Exercises.steps)
        #expect(session.wait(for: "Breathe in"))
        #expect(session.wait(for: "1:00:00"))
        let drawn = drawnPieces(session.text())
        // An hour's inhale has only begun: its bar is still empty.
        #expect(drawn.contains { $0.contains("Breathe in") && $0.contains("─") && !$0.contains("━") })
        #expect(drawn.contains { $0.contains("space pauses") })
        // Keys mode while the step runs: no line editing, no echo.
        #expect(session.settings != session.settingsBefore)

        var mark = session.mark
        session.type("s")
        #expect(session.wait(for: "Hold", after: mark))
        // A hold after an inhale keeps the bar full; the exhale starts from full.
        #expect(drawnPieces(session.text(from: mark)).contains { $0.contains("Hold") && $0.contains("━") && !$0.contains("─") })
        mark = session.mark
        session.type("s")
        #expect(session.wait(for: "Breathe out", after: mark))
        #expect(drawnPieces(session.text(from: mark)).contains { $0.contains("Breathe out") && $0.contains("━") && !$0.contains("─") })
        mark = session.mark
        session.type("s")
        #expect(session.wait(for: "Resting here", after: mark))
        #expect(session.wait(for: "Pause", after: mark))
        mark = session.mark
        session.type("\r")
        #expect(session.wait(for: "That was all.", after: mark))
        #expect(session.wait(for: "Finished.", after: mark))
        #expect(session.waitForExit())
        #expect(session.exitCode == 0)
        #expect(session.inputs("key").count == 4)
        #expect(session.inputs("key").allSatisfy { $0.contains("\"key\":\"skip\"") })
        expectRestored(session)
    }

    @Test func spacePausesAndResumesAndQStops() throws {
        let session = try start(Exercises.steps)
        #expect(session.wait(for: "Breathe in"))
        var mark = session.mark
        session.type(" ")
        #expect(session.wait(for: "Paused", after: mark))
        #expect(session.wait(for: "space to go on", after: mark))
        mark = session.mark
        session.type(" ")
        #expect(session.wait(for: "Breathe in", after: mark))
        mark = session.mark
        session.type("s")
        #expect(session.wait(for: "Hold", after: mark))
        mark = session.mark
        session.type("q")
        #expect(session.wait(for: "Stopped.", after: mark))
        #expect(session.waitForExit())
        #expect(session.exitCode == 0)
        let keys = session.inputs("key").map { line in ["pause", "resume", "skip", "stop"].first { line.contains("\"\($0)\"") } }
        #expect(keys == ["pause", "resume", "skip", "stop"])
        expectRestored(session)
    }

    @Test func resumingInATimedStepShowsTheWordsThatLedIntoIt() throws {
        let first = try PtySession(["run", "steps"], files: ["home/attune/exercises/steps.attune": Exercises.steps])
        #expect(first.wait(for: "Breathe in"))
        first.type("q")
        #expect(first.waitForExit())
        first.keepsFolder = true
        let resumed = try PtySession(["resume"], folder: first.path)
        #expect(resumed.wait(for: "Picking up where you left off"))
        #expect(resumed.wait(for: "Breathe in"))
        let text = visible(resumed.text())
        let picking = try #require(text.range(of: "Picking up where you left off"))
        #expect(text[picking.upperBound...].contains("Settle in."))
        resumed.type("q")
        #expect(resumed.waitForExit())
        expectRestored(resumed)
    }

    @Test func aStepGoingOnAfterAPauseIsTracedFromWhenItWentOn() throws {
        let session = try PtySession(["run", "{folder}/exercise.attune", "--trace", "{folder}/trace.jsonl"],
                                     files: ["exercise.attune": Exercises.steps])
        #expect(session.wait(for: "Breathe in"))
        var mark = session.mark
        session.type(" ")
        #expect(session.wait(for: "Paused", after: mark))
        session.pump(seconds: 0.3)
        mark = session.mark
        session.type(" ")
        #expect(session.wait(for: "Breathe in", after: mark))
        session.type("q")
        #expect(session.waitForExit())
        let lines = (readFile(session.path + "/trace.jsonl") ?? "").split(separator: "\n")
        let inhales = lines.filter { $0.contains("\"kind\":\"in\"") }
        #expect(inhales.count == 2, "\(lines)")
        func number(_ key: String, _ line: Substring) -> Double {
            guard let range = line.range(of: "\"\(key)\":") else { return -1 }
            return Double(line[range.upperBound...].prefix { $0 != "," && $0 != "}" }) ?? -1
        }
        guard inhales.count == 2 else { return }
        // Traced again from the moment it went on, with the time it had left.
        #expect(number("scheduled", inhales[1]) >= number("scheduled", inhales[0]) + 0.3)
        #expect(number("duration", inhales[1]) < 3600)
        #expect(number("actual", inhales[1]) - number("scheduled", inhales[1]) < 0.25)
    }

    @Test func readlineEditsAndCompletesAndKeepsNoHistory() throws {
        let session = try start(Exercises.prompts)
        #expect(session.wait(for: "What shall we call it?"))
        #expect(session.wait(for: "> "))
        session.type("world")
        session.control("a") // to the start of the line
        session.type("hello ")
        var mark = session.mark
        session.type("\r")
        #expect(session.wait(for: "Which would you like?", after: mark))
        #expect(session.wait(for: "> ", after: mark))
        session.type("na")
        mark = session.mark
        session.type("\t")
        #expect(session.wait(for: "Name five things", after: mark))
        mark = session.mark
        session.type("\r")
        #expect(session.wait(for: "Anything else?", after: mark))
        #expect(session.wait(for: "> ", after: mark))
        // Up would bring back an earlier answer if answers entered readline's history.
        session.send([0x1B, 0x5B, 0x41])
        mark = session.mark
        session.type("\r")
        #expect(session.wait(for: "Finished.", after: mark))
        #expect(session.waitForExit())
        let answers = session.inputs("answer")
        #expect(answers.count == 3)
        #expect(answers.first?.contains("\"text\":\"hello world\"") == true)
        #expect(answers.dropFirst().first?.contains("\"text\":\"Name five things\"") == true)
        #expect(answers.last?.contains("\"text\":\"\"") == true)
        // No history file anywhere in the home folder.
        #expect(listing(session.path + "/home").filter { $0.lowercased().contains("hist") }.isEmpty)
        expectRestored(session)
    }

    @Test func tabListsTheMenuAndTheCommands() throws {
        let session = try start(Exercises.prompts)
        #expect(session.wait(for: "> "))
        session.type("x\r")
        #expect(session.wait(for: "Which would you like?"))
        var mark = session.mark
        session.type("/s\t\t")
        #expect(session.wait(for: "/skip", after: mark))
        #expect(session.wait(for: "/stop", after: mark))
        mark = session.mark
        session.type("k\t\r")
        #expect(session.wait(for: "Anything else?", after: mark))
        session.type("/stop\r")
        #expect(session.waitForExit())
        let answers = session.inputs("answer")
        #expect(answers.count == 3)
        #expect(answers.dropFirst().first?.contains("\"text\":\"/skip\"") == true)
        expectRestored(session)
    }

    @Test func ctrlCAtAPromptHandsOverTheHalfTypedAnswer() throws {
        let session = try start(Exercises.prompts)
        #expect(session.wait(for: "> "))
        session.type("half a thou")
        #expect(session.wait(for: "half a thou"))
        let mark = session.mark
        session.control("c")
        #expect(session.wait(for: "Stopped.", after: mark))
        #expect(session.waitForExit())
        #expect(session.exitCode == 0)
        #expect(session.inputs("stop").count == 1)
        #expect(session.inputs("stop").first?.contains("\"draft\":\"half a thou\"") == true)
        expectRestored(session)
    }

    @Test func aDraftStoppedWithCtrlCIsBackInTheLineOnResume() throws {
        // An exercise of the person's own, by id, so that `attune resume` finds it again.
        let first = try PtySession(["run", "naming"], files: ["home/attune/exercises/naming.attune": Exercises.prompts])
        #expect(first.wait(for: "> "))
        first.type("half a thou")
        #expect(first.wait(for: "half a thou"))
        var mark = first.mark
        first.control("c")
        #expect(first.wait(for: "Your unfinished answer is kept as a draft", after: mark))
        #expect(first.waitForExit())
        expectRestored(first)

        first.keepsFolder = true
        let resumed = try PtySession(["resume"], folder: first.path)
        #expect(resumed.wait(for: "Picking up where you left off"))
        #expect(resumed.wait(for: "What shall we call it?"))
        #expect(resumed.wait(for: "> half a thou"))
        mark = resumed.mark
        resumed.type("ght\r")
        #expect(resumed.wait(for: "Which would you like?", after: mark))
        resumed.type("/stop\r")
        #expect(resumed.waitForExit())
        #expect(resumed.inputs("answer").first?.contains("\"text\":\"half a thought\"") == true)
        expectRestored(resumed)
    }

    @Test func aSignalInAMultiLineAnswerKeepsEveryLineAsTheDraft() throws {
        let session = try start(Exercises.multiline)
        #expect(session.wait(for: "Tell it in a few lines."))
        #expect(session.wait(for: "> "))
        session.type("the first line\r")
        session.type("and half the sec")
        #expect(session.wait(for: "half the sec"))
        session.signal(SIGTERM)
        #expect(session.waitForExit())
        #expect(session.exitCode == 0)
        #expect(session.inputs("stop").first?.contains("\"draft\":\"the first line\\nand half the sec\"") == true)
        expectRestored(session)
    }

    @Test func ctrlCAtTheDeleteQuestionKeepsTheSession() throws {
        let first = try PtySession(["run", "{folder}/short.attune", "--plain", "--instant"],
                                   files: ["short.attune": "title: Short\n---\nOne breath.\n"])
        #expect(first.waitForExit())
        first.keepsFolder = true
        let asked = try PtySession(["delete", "1"], folder: first.path)
        #expect(asked.wait(for: "for good? (y/n)"))
        #expect(asked.wait(for: "> "))
        let mark = asked.mark
        asked.control("c")
        #expect(asked.wait(for: "Kept.", after: mark))
        #expect(asked.waitForExit())
        #expect(asked.exitCode == 0)
        expectRestored(asked)
        asked.keepsFolder = true
        let shown = try PtySession(["show", "1"], folder: first.path)
        #expect(shown.waitForExit())
        #expect(shown.exitCode == 0)
        #expect(shown.text().contains("Session 1: Short"))
    }

    @Test func deletingASessionStillRunningSaysSoWithoutAsking() throws {
        let running = try start(Exercises.prompts)
        #expect(running.wait(for: "> "))
        running.keepsFolder = true
        let asked = try PtySession(["delete", "1"], folder: running.path)
        #expect(asked.waitForExit())
        #expect(asked.exitCode == 2)
        #expect(asked.text().contains("session 1 is running in another attune right now"))
        #expect(!asked.text().contains("(y/n)"))
        running.type("/stop\r")
        #expect(running.waitForExit())
    }

    @Test func sighupAtAPromptKeepsTheDraft() throws {
        let session = try start(Exercises.prompts)
        #expect(session.wait(for: "> "))
        session.type("almost")
        #expect(session.wait(for: "almost"))
        session.signal(SIGHUP)
        #expect(session.waitForExit())
        #expect(session.inputs("stop").first?.contains("\"draft\":\"almost\"") == true)
        expectRestored(session)
    }

    @Test func closingTheWindowAtAPromptKeepsTheHalfTypedLineAsADraft() throws {
        let session = try PtySession(["run", "{folder}/lines.attune"], files: ["lines.attune": Exercises.multiline],
                                     underShell: true)
        #expect(session.wait(for: "> "))
        session.type("a first line\r")
        #expect(session.wait(for: "a first line"))
        // The next line's prompt: readline reads the terminal again (keys typed before it
        // wait in the terminal, and a hang-up then would throw them away, as for anyone).
        let shown = session.text()
        let firstLine = try #require(shown.range(of: "a first line"))
        #expect(session.wait(for: "> ", after: shown.utf8.distance(from: shown.startIndex, to: firstLine.upperBound)))
        session.type("and half a seco")
        #expect(session.wait(for: "half a seco"))
        session.hangUp()
        #expect(session.waitForInput("stop"))
        // Not an answer ended early: the whole of it, the unfinished line too, is the draft.
        #expect(session.inputs("answer").isEmpty)
        #expect(session.inputs("stop").first?.contains("\"draft\":\"a first line\\nand half a seco\"") == true, "\(session.inputs)")
    }

    @Test func writingEndsAtDoneAndAMultiLineAnswerAtAnEmptyLine() throws {
        let session = try start(Exercises.multiline)
        #expect(session.wait(for: "> "))
        session.type("one\rtwo\r\r")
        #expect(session.wait(for: "Write a little."))
        var mark = session.mark
        session.type("a paragraph\r\rand another\r/d")
        session.type("\t")
        #expect(session.wait(for: "/done", after: mark))
        mark = session.mark
        session.type("\r")
        #expect(session.wait(for: "How calm?", after: mark))
        mark = session.mark
        session.type("eleven\r")
        #expect(session.wait(for: "Please answer with a whole number from 0 to 10", after: mark))
        session.type("4\r")
        #expect(session.wait(for: "Finished."))
        #expect(session.waitForExit())
        let answers = session.inputs("answer")
        #expect(answers.count == 4)
        #expect(answers.first?.contains("\"text\":\"one\\ntwo\"") == true)
        #expect(answers.dropFirst().first?.contains("\"text\":\"a paragraph\\n\\nand another\"") == true)
        #expect(answers.last?.contains("\"text\":\"4\"") == true)
        expectRestored(session)
    }

    @Test func ctrlCDuringATimedStepStops() throws {
        let session = try start(Exercises.steps)
        #expect(session.wait(for: "Breathe in"))
        let mark = session.mark
        session.control("c")
        #expect(session.wait(for: "Stopped.", after: mark))
        #expect(session.waitForExit())
        #expect(session.exitCode == 0)
        #expect(session.inputs("key").last?.contains("\"key\":\"stop\"") == true)
        expectRestored(session)
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func aSignalDuringATimedStepRestoresTheTerminalAndStops(_ signal: Int32) throws {
        let session = try start(Exercises.steps)
        #expect(session.wait(for: "Breathe in"))
        #expect(session.settings != session.settingsBefore)
        session.signal(signal)
        #expect(session.waitForExit())
        #expect(session.exitCode == 0)
        #expect(session.inputs("key").last?.contains("\"key\":\"stop\"") == true)
        expectRestored(session)
    }

    @Test func ctrlZSuspendsWithTheTerminalRestoredAndSigcontCarriesOn() throws {
        let session = try start(Exercises.steps)
        #expect(session.wait(for: "Breathe in"))
        var mark = session.mark
        session.control("z")
        #expect(session.waitForStop())
        #expect(session.wait(for: "Paused. Type fg to come back.", after: mark))
        // While it is stopped, the terminal is as the shell left it.
        expectRestored(session)
        mark = session.mark
        session.signal(SIGCONT)
        #expect(session.wait(for: "Breathe in", after: mark))
        #expect(session.settings != session.settingsBefore)
        mark = session.mark
        session.type("q")
        #expect(session.wait(for: "Stopped.", after: mark))
        #expect(session.waitForExit())
        let keys = session.inputs("key").map { line in ["pause", "resume", "skip", "stop"].first { line.contains("\"\($0)\"") } }
        #expect(keys == ["pause", "resume", "stop"])
        expectRestored(session)
    }

    @Test func ctrlZAtAPromptKeepsTheLineBeingTyped() throws {
        let session = try start(Exercises.prompts)
        #expect(session.wait(for: "> "))
        session.type("still here")
        #expect(session.wait(for: "still here"))
        session.control("z")
        #expect(session.waitForStop())
        expectRestored(session)
        let mark = session.mark
        session.signal(SIGCONT)
        #expect(session.wait(for: "still here", after: mark))
        session.type(" too\r")
        #expect(session.wait(for: "Which would you like?"))
        session.type("/stop\r")
        #expect(session.waitForExit())
        #expect(session.inputs("answer").first?.contains("\"text\":\"still here too\"") == true)
        expectRestored(session)
    }

    @Test func aResizeTo40ColumnsRedrawsThePacerToFit() throws {
        let session = try start(Exercises.steps)
        #expect(session.wait(for: "Breathe in"))
        #expect(session.wait(for: "left"))
        let wide = drawnPieces(session.text()).filter { $0.contains("Breathe in") }.last ?? ""
        #expect(TextLayout.width(wide) > 40)
        let mark = session.mark
        session.resize(to: WindowSize(columns: 40, rows: 24))
        #expect(session.wait(for: "Breathe in", after: mark))
        let narrow = drawnPieces(session.text(from: mark))
        #expect(!narrow.isEmpty)
        for piece in narrow {
            #expect(TextLayout.width(piece) < 40, "drawn wider than 40 columns: \(piece)")
        }
        #expect(narrow.contains { $0.contains("Breathe in") && $0.contains("─") })
        session.type("q")
        #expect(session.waitForExit())
        expectRestored(session)
    }

    @Test func plainModeOnANarrowTerminalWrapsBetweenWords() throws {
        let words = "Let your shoulders drop and notice where the breath moves most easily today."
        let exercise = "title: Narrow\n---\n\(words)\n@pause 1s\n"
        let session = try PtySession(["run", "{folder}/narrow.attune", "--plain", "--instant", "--no-journal"],
                                     files: ["narrow.attune": exercise], size: WindowSize(columns: 40, rows: 24))
        #expect(session.waitForExit())
        // ("\r\n" is one Character.)
        let lines = visible(session.text()).split(omittingEmptySubsequences: false) { $0 == "\r\n" || $0 == "\n" }
        for line in lines {
            #expect(TextLayout.width(line) < 40, "wider than 40 columns: \(line)")
        }
        // Every word whole, in order, across the wrapped lines.
        let start = try #require(lines.firstIndex { $0.hasPrefix("Let your") })
        let joined = lines[start...].prefix { !$0.isEmpty }.joined(separator: " ")
        #expect(joined == words)
    }

    @Test func theListFitsAnEightyColumnTerminal() throws {
        let session = try PtySession(["list"], size: WindowSize(columns: 80, rows: 24))
        #expect(session.waitForExit())
        let lines = visible(session.text()).split { $0 == "\r\n" || $0 == "\n" }
        #expect(lines.first?.hasPrefix("id") == true)
        #expect(lines.first?.contains("title") == true)
        #expect(lines.first?.contains("tags") == false)
        #expect(lines.contains { $0.hasPrefix("box-breathing") && $0.contains("Box breathing") })
        for line in lines {
            #expect(TextLayout.width(line) < 80, "wider than 80 columns: \(line)")
        }
        // At 40 columns: the ids and shortened durations, and a word on the `+`.
        let narrow = try PtySession(["list"], size: WindowSize(columns: 40, rows: 24))
        #expect(narrow.waitForExit())
        let narrowLines = visible(narrow.text()).split { $0 == "\r\n" || $0 == "\n" }
        for line in narrowLines {
            #expect(TextLayout.width(line) < 40, "wider than 40 columns: \(line)")
        }
        #expect(narrowLines.contains { $0.hasPrefix("rain") && $0.hasSuffix("1m14s–4m39s +") })
        #expect(narrowLines.contains { $0.hasPrefix("+ means: plus the time you take at its") })
    }

    @Test func aResizeDuringAPromptKeepsTheLineAndTheAnswer() throws {
        let session = try start(Exercises.prompts)
        #expect(session.wait(for: "> "))
        let long = String(repeating: "a fairly long answer ", count: 4)
        session.type(long)
        #expect(session.wait(for: "long answer a fairly"))
        session.resize(to: WindowSize(columns: 40, rows: 24))
        session.type("end")
        session.resize(to: WindowSize(columns: 100, rows: 30))
        let mark = session.mark
        session.type("\r")
        #expect(session.wait(for: "Which would you like?", after: mark))
        session.type("/stop\r")
        #expect(session.waitForExit())
        #expect(session.inputs("answer").first?.contains("\"text\":\"\(long)end\"") == true)
        expectRestored(session)
    }

    @Test(arguments: [("yes\r", "One word?"), ("n\r", "You chose not to begin.")])
    func theCautionIsConfirmedOrDeclined(_ reply: String, _ then: String) throws {
        let session = try start(Exercises.caution)
        #expect(session.wait(for: "Before you begin: Stop if you feel dizzy."))
        #expect(session.wait(for: "Do you want to go on? (y/n)"))
        #expect(session.wait(for: "> "))
        let mark = session.mark
        session.type(reply)
        #expect(session.wait(for: then, after: mark))
        if then == "One word?" {
            #expect(session.text(from: mark).contains("\u{07}"))
            // Once readline is reading (a Ctrl-D sent earlier reaches the terminal while it
            // still edits lines itself), the end of input at a one-line prompt stops.
            #expect(session.wait(for: "completes.)\r\n> ", after: mark))
            session.control("d")
        }
        #expect(session.waitForExit())
        #expect(session.exitCode == 0)
        expectRestored(session)
    }

    @Test func keysFromATimedStepDoNotLeakIntoTheNextPrompt() throws {
        let session = try start(Exercises.stepThenPrompt)
        #expect(session.wait(for: "Pause"))
        let mark = session.mark
        session.type("s" + "leaked\r")
        #expect(session.wait(for: "One word for now?", after: mark))
        #expect(session.wait(for: "> ", after: mark))
        session.type("mine\r")
        #expect(session.wait(for: "Finished."))
        #expect(session.waitForExit())
        let answers = session.inputs("answer")
        #expect(answers.count == 1)
        #expect(answers.first?.contains("\"text\":\"mine\"") == true)
        expectRestored(session)
    }

    @Test func aPastedBlockAtAOneLinePromptBecomesOneAnswer() throws {
        let session = try start(Exercises.prompts)
        #expect(session.wait(for: "> "))
        session.type("first line\nsecond line\nthird\n")
        #expect(session.wait(for: "Which would you like?"))
        session.type("/stop\r")
        #expect(session.waitForExit())
        #expect(session.inputs("answer").first?.contains("\"text\":\"first line second line third\"") == true)
        expectRestored(session)
    }

    @Test func controlCharactersAndInvalidUTF8InAnAnswerAreCleaned() throws {
        let session = try start(Exercises.prompts)
        #expect(session.wait(for: "> "))
        session.send(Array("ab".utf8) + [0xFF])
        session.send([0x16, 0x07]) // Ctrl-V, then a bell character, inserted as it is
        session.send([0x16, 0x1B]) // and an escape
        session.type("c\r")
        #expect(session.wait(for: "Which would you like?"))
        session.type("/stop\r")
        #expect(session.waitForExit())
        #expect(session.inputs("answer").first?.contains("\"text\":\"ab\u{FFFD}c\"") == true)
        expectRestored(session)
    }

    @Test(arguments: ["LC_ALL", "LC_CTYPE"])
    func aCLocaleStillEditsCharactersNotBytes(_ variable: String) throws {
        let session = try PtySession(["run", "{folder}/exercise.attune"], files: ["exercise.attune": Exercises.prompts],
                                     environment: [variable: "C"])
        #expect(session.wait(for: "> "))
        session.type("ab日本")
        #expect(session.wait(for: "ab日本"))
        session.send([0x7F, 0x7F]) // two Backspaces: two characters, not two bytes
        session.type("cd\r")
        #expect(session.wait(for: "Which would you like?"))
        session.type("/stop\r")
        #expect(session.waitForExit())
        #expect(session.inputs("answer").first?.contains("\"text\":\"abcd\"") == true, "\(session.inputs)")
        expectRestored(session)
    }

    @Test func colourOnlyOnATerminalThatWantsIt() throws {
        let colored = try start(Exercises.steps, color: true)
        #expect(colored.wait(for: "Breathe in"))
        colored.type("q")
        #expect(colored.waitForExit())
        #expect(colored.text().contains("\u{1B}[36m"))

        let noColor = try start(Exercises.steps, color: false)
        #expect(noColor.wait(for: "Breathe in"))
        noColor.type("q")
        #expect(noColor.waitForExit())
        #expect(!noColor.text().contains("\u{1B}[36m"))
        #expect(!noColor.text().contains("\u{1B}[2m"))

        let dumb = try start(Exercises.steps, term: "dumb", color: true)
        #expect(dumb.wait(for: "Breathe in"))
        dumb.type("q")
        #expect(dumb.waitForExit())
        #expect(!dumb.text().contains("\u{1B}"))
        expectRestored(dumb)
    }

    @Test func aDumbTerminalGetsThePacerLineOnceASecondNotSixteenTimes() throws {
        // A short phase, whose bar moves many times a second (it is ended with q long before).
        let session = try start("title: Short\n---\n@breathe in 4s out 4s\n", term: "dumb")
        #expect(session.wait(for: "Breathe in"))
        let mark = session.mark
        let end = MonotonicClock.now() + 600_000_000
        while MonotonicClock.now() < end { session.pump(seconds: 0.05) }
        // Each redraw starts with a carriage return; at sixteen a second there would be ten.
        let redraws = session.text(from: mark).filter { $0 == "\r" }.count
        #expect(redraws <= 2, "\(redraws) redraws in 0.6 s")
        session.type("q")
        #expect(session.waitForExit())
        expectRestored(session)
    }

    @Test func aDumbTerminalStillEditsAndStops() throws {
        let session = try start(Exercises.prompts, term: "dumb")
        #expect(session.wait(for: "> "))
        session.type("plain")
        #expect(session.wait(for: "plain"))
        session.control("c")
        #expect(session.waitForExit())
        #expect(session.inputs("stop").first?.contains("\"draft\":\"plain\"") == true)
        expectRestored(session)
    }
}

private func listing(_ folder: String) -> [String] {
    guard let directory = opendir(folder) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
