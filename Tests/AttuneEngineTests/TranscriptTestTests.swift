import AttuneEngine
import AttuneLanguage
import Testing

@Suite("Transcript tests for authors")
struct TranscriptTestTests {
    @Test func parsesAnswersWaitsKeysAndLastValues() throws {
        let text = """
            // a comment
            exercise: calm.attune
            last: need = "a walk"
            last: before = 4

            --- input
            > 7
            >> second line
            >
            space at 10s
            space at 15s
            s at 1m30s
            enter at 2m
            q at 2.5s
            wait 20s
            > later
            --- transcript
            Title

            """
        let test = try TranscriptTest.parse(text).get()
        #expect(test.exercise == "calm.attune")
        #expect(test.last == ["need": .text("a walk"), "before": .number(4)])
        #expect(test.steps == [
            .answer("7\nsecond line"), .answer(""),
            .key(.pause, at: .seconds(10)), .key(.resume, at: .seconds(15)), .key(.skip, at: .seconds(90)),
            .key(.skip, at: .seconds(120)), .key(.stop, at: .milliseconds(2500)),
            .answer("later", after: .seconds(20)),
        ])
        #expect(test.expected == "Title\n")
        #expect(test.updated(with: "New\n").hasSuffix("--- transcript\nNew\n"))
    }

    @Test func badLinesAreReportedWithTheirNumbers() {
        #expect(TranscriptTest.parse("exercise: x\n--- input\nhello\n--- transcript\n")
            == .failure(.init(line: 3, message: "expected an answer (`> text`), `wait 20s`, or a key at a moment (`s at 1m30s`)")))
        #expect(TranscriptTest.parse("--- input\n> 1\n--- transcript\n")
            == .failure(.init(line: 1, message: "the test needs a line `exercise: ID-or-path`")))
        #expect(TranscriptTest.parse("exercise: x\n--- input\nx at 3s\n--- transcript\n")
            == .failure(.init(line: 3, message: "`x` is not a key; use space, s, enter or q")))
        #expect(TranscriptTest.parse("exercise: x\n--- input\n> 1\n")
            == .failure(.init(line: 3, message: "the test needs a `--- transcript` line before the expected transcript")))
    }

    @Test func aRunComparesTheWholeTranscriptAndReportsUnusedInputs() throws {
        let program = try #require(compile("@ask a \"A?\"\n@pause 10s"))
        let good = try TranscriptTest.parse("""
            exercise: x
            --- input
            > yes
            s at 4s
            --- transcript
            Test

            A?
            > yes

            [pause 10s]
            [skipped at 0:04]

            Finished at 0:04. Take a moment before you move on.

            """).get()
        let outcome = good.run(program)
        #expect(outcome.passed, "\(outcome.actual)")
        #expect(outcome.unused.isEmpty)
        let extra = try TranscriptTest.parse("exercise: x\n--- input\n> yes\n> no\nq at 1h\n--- transcript\n").get()
        let extraOutcome = extra.run(program)
        #expect(!extraOutcome.passed)
        #expect(extraOutcome.unused == ["> no", "q at 1h"])
    }

    @Test func aUnifiedDiffShowsOnlyTheChangeWithContext() {
        let expected = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let actual = expected.replacingOccurrences("line 5\n", "line five\n")
        #expect(UnifiedDiff.render(expected: expected, actual: actual) == """
            --- expected
            +++ actual
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8

            """)
    }

    @Test func aDiffOfTwoLongTranscriptsStaysSmall() {
        // 3,000 lines each, all different in the middle: 9 million cells to search line by
        // line, past the limit, so the middle shows removed and added whole.
        let shared = "title\n"
        let expected = shared + (1...3000).map { "old \($0)" }.joined(separator: "\n") + "\nend\n"
        let actual = shared + (1...3000).map { "new \($0)" }.joined(separator: "\n") + "\nend\n"
        let diff = UnifiedDiff.render(expected: expected, actual: actual)
        let lines = diff.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("-old") }.count == 3000)
        #expect(lines.filter { $0.hasPrefix("+new") }.count == 3000)
        #expect(diff.contains("@@ -1,3003 +1,3003 @@\n title\n-old 1\n"))
        #expect(diff.hasSuffix("+new 3000\n end\n \n"))
    }

    @Test func aTestOfAnExerciseThatNeverEndsStopsAfterADayAndFails() throws {
        let program = try #require(compile("@section again\n@pause 1s\n@goto again"))
        let test = try TranscriptTest.parse("exercise: x\n--- input\n--- transcript\n").get()
        let outcome = test.run(program)
        #expect(!outcome.passed)
        let endless = try #require(outcome.endless)
        #expect(endless > Duration.maximum)
        #expect(endless <= Duration.maximum + .seconds(1))
        #expect(outcome.actual.hasSuffix("Stopped at 24:00:01.\n"))
        // Short steps reach the limit on inputs first.
        let fast = try #require(compile("@section again\n@pause 1ms\n@goto again"))
        let fastOutcome = test.run(fast)
        #expect(fastOutcome.endless == .seconds(Int64(Rehearsal.maximumInputs) / 1000))
    }

    @Test func randomWalksAreReproducibleAndFindLoopsThatNeverEnd() throws {
        let program = try #require(compile("""
            @section again
            @choose more "Again?"
              - Yes -> again
              - No
            @pause 1s
            """))
        let first = RandomWalk.play(program, seed: 7)
        let second = RandomWalk.play(program, seed: 7)
        #expect(first.0 == second.0)
        #expect(first.1.variableValues == second.1.variableValues)
        let forever = try #require(compile("""
            @section again
            @ask anything "Say anything"
            @goto again
            """))
        switch RandomWalk.play(forever, seed: 1).0 {
        case .stuck, .endless: break
        case let other: Issue.record("expected a walk that never ends, got \(other)")
        }
    }
}
