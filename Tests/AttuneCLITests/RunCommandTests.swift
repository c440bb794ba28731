import Foundation
import Testing

@Suite("attune run, plan and list in plain mode")
struct RunCommandTests {
    static let everyStatement = """
        title: Every statement
        summary: A tour of the language.
        ---
        @include "parts.attune"
        @ask name "What shall I call you?"
        Hello, {name}. \\{Braces\\} and \\@ are fine.
        @pause 2s "Arriving"
        @breathe in 2s in 1s out 6s
        @bell
        @rate before "How tense are you?" 0..10
        @choose path "Where to?"
          - Breathe
            @repeat 2 times
              @breathe in 1s out 1s
          - Write -> writing
          - Rest
        @call grounding
        @if before > 5
          That is a lot. Go gently.
        @elif before > 2
          Some tension.
        @else
          Quite calm.
        @set next = before - 1
        Next time, maybe {next}.
        @repeat for 3s
          @pause 1s
        @ask notes "Anything else?" multiline
        @reflect
          You came in at {before} and chose {path}.
        @end
        @section writing
        @write story "Write freely." for 5m
        @goto closing
        @section closing
        Thank you.
        """

    static let parts = """
        title: Shared parts
        ---
        @section grounding
        Feel your feet on the floor.
        @pause 1s
        """

    @Test func everyStatementThroughTheCLI() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write(Self.everyStatement, in: folder)
        _ = try AttuneProcess.write(Self.parts, named: "parts.attune", in: folder)
        let result = try AttuneProcess.run(["run", path, "--instant", "--no-journal"],
                                           input: "Sam\nlots\n11\n7\n1\nfirst line\nsecond line\n\n")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        #expect(result.standardOutput == """
            Every statement
            A tour of the language.

            What shall I call you?
            > Sam

            Hello, Sam. {Braces} and @ are fine.

            [pause 2s Arriving]
            [breathe in 2s]
            [breathe in 1s top-up]
            [breathe out 6s]
            [bell]

            How tense are you? (0 to 10)
            > lots

            Please answer with a whole number from 0 to 10, or /skip to leave it.
            How tense are you? (0 to 10)
            > 11

            Please answer with a whole number from 0 to 10, or /skip to leave it.
            How tense are you? (0 to 10)
            > 7

            Where to?
              1. Breathe
              2. Write
              3. Rest
            > 1

            [breathe in 1s]
            [breathe out 1s]
            [breathe in 1s]
            [breathe out 1s]

            Feel your feet on the floor.

            [pause 1s]

            That is a lot. Go gently.

            Next time, maybe 6.

            [pause 1s]
            [pause 1s]
            [pause 1s]

            Anything else?
            (An empty line finishes your answer.)
            > first line
            > second line
            >\u{20}

            You came in at 7 and chose Breathe.

            Finished at 0:19. Take a moment before you move on.

            """)
    }

    @Test func aPathThatCannotBeRunSaysWhy() throws {
        let home = try AttuneProcess.temporaryFolder()
        let missing = try AttuneProcess.run(["run", home.path + "/nowhere.attune"], home: home)
        #expect(missing.standardError.contains("cannot read \(home.path)/nowhere.attune: there is no such file or folder"))
        let folder = try AttuneProcess.run(["run", home.path], home: home)
        #expect(folder.standardError.contains("cannot read \(home.path): it is a folder"))
        let badNumber = try AttuneProcess.run(["show", "abc"], home: home)
        #expect(badNumber.status == 64)
        #expect(badNumber.standardError == "attune: a session is named by its number, such as 12 (`attune history` lists them)\n")
    }

    @Test func aJumpingOptionAndTimedWriting() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write(Self.everyStatement, in: folder)
        _ = try AttuneProcess.write(Self.parts, named: "parts.attune", in: folder)
        let result = try AttuneProcess.run(["run", path, "--instant"],
                                           input: "Sam\n3\nwrite\nA first paragraph.\n\nA second one.\n/done\n")
        #expect(result.status == 0)
        #expect(result.standardOutput.hasSuffix("""
            Write freely.
            (Write for up to 5m; a line /done finishes sooner.)
            > A first paragraph.
            >\u{20}
            > A second one.
            > /done

            Thank you.

            Finished at 0:11. Take a moment before you move on.

            """))
    }

    @Test func theEndOfInputAtAPromptStopsCleanly() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write("title: T\n---\n@ask a \"First?\"\n@ask b \"Second?\"\nNot reached.\n", in: folder)
        let result = try AttuneProcess.run(["run", path, "--instant"], input: "only one\n")
        #expect(result.status == 0)
        #expect(result.standardOutput.hasSuffix("Second?\n\nStopped at 0:00. What you wrote is kept; `attune resume` carries on from here.\n"))
        #expect(!result.standardOutput.contains("Not reached."))
        // Stopped before any answer: nothing is said to be kept.
        let early = try AttuneProcess.run(["run", path, "--instant"], input: "/stop\n")
        #expect(early.standardOutput.hasSuffix("First?\n> /stop\n\nStopped at 0:00. That is all right; `attune resume` carries on from here.\n"))
    }

    @Test func pipedAnswersNeverSkipAPrompt() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write("""
            title: T
            ---
            @ask a "A?"
            @pause 50ms
            @ask b "B?"
            @pause 50ms
            @rate c "C?" 1..3
            {a} {b} {c}
            """, in: folder)
        // Not instant: the answers are all waiting in the pipe before the pauses end.
        let result = try AttuneProcess.run(["run", path, "--plain"], input: "one\ntwo\n3\n")
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("> one\n"))
        #expect(result.standardOutput.contains("> two\n"))
        #expect(result.standardOutput.contains("one two 3"))
    }

    @Test func aCautionNeedsYesInPlainModeToo() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write("title: T\ncaution: Not while driving.\n---\nStarted.\n", in: folder)
        let home = try AttuneProcess.temporaryFolder()
        let declined = try AttuneProcess.run(["run", path, "--instant"], input: "no\n", home: home)
        #expect(declined.status == 0)
        #expect(!declined.standardOutput.contains("Started."))
        // Not begun: nothing kept, nothing to resume.
        let history = try AttuneProcess.run(["history"], home: home)
        #expect(history.standardOutput.hasPrefix("No sessions yet."))
        let resume = try AttuneProcess.run(["resume"], home: home)
        #expect(resume.status == 2)
        let accepted = try AttuneProcess.run(["run", path, "--instant"], input: "y\n")
        #expect(accepted.standardOutput.contains("Before you begin: Not while driving.\n\nDo you want to go on? (y/n)\n> y\n\nStarted."))
    }

    @Test func aScriptWithErrorsIsRefusedBeforeAnythingRuns() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write("title: T\n---\nHello.\n@pause 5\n", in: folder)
        let result = try AttuneProcess.run(["run", path, "--instant"])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("exercise.attune:4:8: error[A012]"))
    }

    @Test func anUnknownIDNamesTheClosestOnes() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let exercises = folder.appendingPathComponent("exercises")
        try FileManager.default.createDirectory(at: exercises, withIntermediateDirectories: true)
        _ = try AttuneProcess.write("title: Mine\n---\nHi.\n", named: "evening-calm.attune", in: exercises)
        let result = try AttuneProcess.run(["run", "evening-clam"], home: folder)
        #expect(result.status == 2)
        #expect(result.standardError.contains("there is no exercise called `evening-clam`; did you mean `evening-calm`?"))
        let found = try AttuneProcess.run(["run", "evening-calm", "--instant"], home: folder)
        #expect(found.status == 0)
        #expect(found.standardOutput.contains("Hi."))
    }

    @Test func usageErrorsExitWith64() throws {
        let result = try AttuneProcess.run(["run", "x", "--speed", "0"])
        #expect(result.status == 64)
        let missing = try AttuneProcess.run(["run"])
        #expect(missing.status == 64)
    }

    @Test func theTraceHasOneLinePerTimedStep() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write("title: T\n---\n@pause 20ms\n@breathe in 20ms hold 10ms out 30ms\n", in: folder)
        let trace = folder.appendingPathComponent("trace.jsonl").path
        let result = try AttuneProcess.run(["run", path, "--speed", "2", "--trace", trace])
        #expect(result.status == 0)
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(objects.map { $0["kind"] as? String } == ["pause", "in", "hold", "out", "end"])
        #expect(objects.map { $0["line"] as? Int } == [3, 4, 4, 4, 0])
        // Scaled by --speed: the inhale is scheduled at 10 ms and lasts 10 ms.
        #expect(objects[1]["scheduled"] as? Double == 0.01)
        #expect(objects[1]["duration"] as? Double == 0.01)
        for object in objects {
            let scheduled = object["scheduled"] as? Double ?? -1
            let actual = object["actual"] as? Double ?? -2
            #expect(actual >= scheduled)
        }
    }

    @Test func planListsTimedStepsAndATotal() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write("""
            title: Box breathing
            ---
            @pause 5s
            @rate before "How activated?" 0..10
            @repeat for 5m
              @breathe in 4s hold 4s out 4s hold 4s
            @rate after "And now?" 0..10
            @if after < before
              @pause 10s
            """, in: folder)
        let result = try AttuneProcess.run(["plan", path])
        #expect(result.status == 0)
        #expect(result.standardOutput == """
            Box breathing
               0:00  line 3   pause 5s
               0:05  line 4   rate before (a prompt)
               0:05  line 5   repeat for 5m: 19 cycles of 16s
               0:05  line 6     breathe in 4s hold 4s out 4s hold 4s (16s)
               5:09  line 7   rate after (a prompt)
               5:09  line 9     pause 10s
            total: 5m9s to 5m19s, plus the time you take at 2 prompts

            """)
    }
}

extension RunCommandTests {
    /// The plan went no further than a `@goto` and gave the sections below it no time.
    @Test func planFollowsGotosIntoTheSectionsBelow() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write("""
            title: Jumps
            ---
            @ask a "Skip ahead?"
            @if a
              @goto closing
            @pause 2s
            @goto closing
            Never said.
            @section closing
            @pause 3s
            """, in: folder)
        let result = try AttuneProcess.run(["plan", path])
        #expect(result.status == 0)
        #expect(result.standardOutput == """
            Jumps
                   0:00  line 3   ask a (a prompt)
                   0:00  line 5     goto closing
                   0:00  line 6   pause 2s
                   0:02  line 7   goto closing
              0:00–0:02  line 9   section closing
              0:00–0:02  line 10  pause 3s
            total: 3s to 5s, plus the time you take at 1 prompt

            """)
    }
}

@Suite("attune explain")
struct ExplainCommandTests {
    @Test func explainsACodeInAnyCase() throws {
        let result = try AttuneProcess.run(["explain", "a012"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("A012 (error): a duration that does not follow the duration rules\n  Fix: "))
        // A number alone is read as the code it stands for.
        for short in ["12", "a12"] {
            #expect(try AttuneProcess.run(["explain", short]).standardOutput == result.standardOutput)
        }
        let unknown = try AttuneProcess.run(["explain", "Z999"])
        #expect(unknown.status == 2)
        let all = try AttuneProcess.run(["explain"])
        #expect(all.standardOutput.contains("A104 (warning)"))
    }
}
