import AttuneEngine
import AttuneLanguage
import Testing

@Suite("Engine: every statement")
struct StatementTests {
    @Test func theLanguageExampleRunsAsWritten() throws {
        let body = """
            Find a comfortable seat and let your feet rest on the floor.
            @pause 5s

            @rate before "How activated do you feel right now?" 0..10

            @repeat for 5m
              @breathe in 4s hold 4s out 4s hold 4s

            @rate after "And now?" 0..10
            @if after < before
              You moved from {before} to {after}. Notice what helped.
            @else
              Whatever you feel now is welcome.
            """
        let program = try #require(compile(body))
        let outcome = Rehearsal.run(program, steps: answers("7", "3"))
        let inhales = outcome.effects.filter {
            if case .step(let step) = $0, case .breath(.inhale, _) = step.kind { return true }
            return false
        }
        // A cycle in progress completes: 18 cycles end at 4m48s < 5m, so a 19th starts.
        #expect(inhales.count == 19)
        #expect(outcome.transcript.hasSuffix("""
            [breathe out 4s]
            [breathe hold 4s]

            And now? (0 to 10)
            > 3

            You moved from 7 to 3. Notice what helped.

            Finished at 5:09. Take a moment before you move on.

            """))
        #expect(transcript(body, answers("2", "6")).contains("Whatever you feel now is welcome."))
    }

    @Test func pausesBreathsAndBells() {
        #expect(transcript("""
            @ask place "Where are you?"
            @pause 2s "Arriving in {place}"
            @breathe in 2s in 1s out 6s
            @bell
            @pause 1m30s
            """, answers("the garden")) == """
            Where are you?
            > the garden

            [pause 2s Arriving in the garden]
            [breathe in 2s]
            [breathe in 1s top-up]
            [breathe out 6s]
            [bell]
            [pause 1m30s]

            Finished at 1:41. Take a moment before you move on.

            """)
    }

    @Test func askKeepsAnswersAsGivenAndMultilineKeepsLineBreaks() throws {
        let program = try #require(compile("""
            @ask one "One line"
            @ask many "Many lines" multiline
            You said {one} and {many}.
            """))
        let odd = "  spaces, ünïcode ✨, \u{1} and \\{braces\\}  "
        let outcome = Rehearsal.run(program, steps: [.answer(odd), .answer("first\nsecond")])
        #expect(outcome.engine.value(of: "one") == .text(odd))
        #expect(outcome.engine.value(of: "many") == .text("first\nsecond"))
        #expect(outcome.effects.contains(.say("You said \(odd) and first\nsecond.", line: 5)))
    }

    @Test func skipAndStopAreRecognisedOnTheFirstLine() throws {
        let program = try #require(compile("""
            @ask many "Many lines" multiline
            @if many
              You wrote something.
            @else
              Nothing written.
            @ask again "Again"
            """))
        let skipped = Rehearsal.run(program, steps: [.answer("/skip\nmore"), .answer(" /stop ")])
        #expect(skipped.engine.value(of: "many") == .empty)
        #expect(skipped.effects.contains(.say("Nothing written.", line: 7)))
        guard case .stopped(let stop) = skipped.engine.state else {
            Issue.record("expected a stop, got \(skipped.engine.state)")
            return
        }
        #expect(stop.reason == .byPerson)
        let kept = Rehearsal.run(program, steps: [.answer("later line\n/skip")])
        #expect(kept.engine.value(of: "many") == .text("later line\n/skip"))
    }

    @Test func writeWithAndWithoutATimeLimit() throws {
        let program = try #require(compile("""
            @write story "Write about it" for 15m
            @write more "Anything else?"
            @pause 1s
            """))
        // Answered after 20 minutes: the limit ends the writing at 15 minutes.
        let outcome = Rehearsal.run(program, steps: [.answer("para one\n\npara two", after: .seconds(1200)),
                                                   .answer("no", after: .seconds(10))])
        #expect(outcome.engine.value(of: "story") == .text("para one\n\npara two"))
        #expect(outcome.transcript.contains("(Write for up to 15m; a line /done finishes sooner.)"))
        #expect(outcome.transcript.contains("(Write as much as you like; a line /done finishes.)"))
        let end: Effect? = .finished(at: .seconds(911))
        #expect(outcome.effects.last == end)
    }

    @Test func ratingsAreAskedAgainGentlyUntilValid() throws {
        let program = try #require(compile("@rate level \"How tense?\" -5..5\nLevel {level}."))
        let outcome = Rehearsal.run(program, steps: answers("seven", "6", "", "2.5", " -5 "))
        let retries = outcome.effects.compactMap { effect -> String? in
            if case .prompt(let prompt) = effect { return prompt.retry }
            return nil
        }
        #expect(retries.count == 4)
        #expect(retries.allSatisfy { $0 == "Please answer with a whole number from -5 to 5, or /skip to leave it." })
        #expect(outcome.engine.value(of: "level") == .number(-5))
        #expect(outcome.effects.contains(.say("Level -5.", line: 4)))
    }

    @Test func menusByNumberOrLabelWithBlocksJumpsAndSkip() throws {
        let body = """
            @choose mood "How is it now?"
              - Calm
                Good to hear.
              - Restless -> settle
              - Unsure
            You chose {mood}.
            @end
            @section settle
            Let us settle a little.
            """
        #expect(transcript(body, answers("1")) == """
            How is it now?
              1. Calm
              2. Restless
              3. Unsure
            > 1

            Good to hear.

            You chose Calm.

            Finished at 0:00. Take a moment before you move on.

            """)
        let jumped = transcript(body, answers("  restLESS "))
        #expect(jumped.contains("Let us settle a little."))
        #expect(!jumped.contains("You chose"))
        let skipped = transcript(body, answers("/skip"))
        #expect(skipped.contains("You chose ."))
        #expect(!skipped.contains("Good to hear."))
        let retried = transcript(body, answers("4", "calmish", "unsure"))
        #expect(retried.components("Please choose a number from 1 to 3, or type an option's name, or /skip.") == 2)
        #expect(retried.contains("You chose Unsure."))
    }

    @Test func conditionsWithEmptyValues() {
        let body = """
            @rate n "Number?" 0..10
            @ask t "Text?"
            @if n > 5
              big
            @elif n <= 5
              small
            @else
              no number
            @if t == "yes" or t != "yes"
              compared text
            @if not t
              t is empty
            @if not (n == 3)
              not three
            """
        let empty = transcript(body, answers("/skip", ""))
        #expect(empty.contains("no number"))
        #expect(!empty.contains("compared text")) // every comparison with an empty value is false
        #expect(empty.contains("t is empty"))
        #expect(empty.contains("not three"))
        let full = transcript(body, answers("3", "yes"))
        #expect(full.contains("small"))
        #expect(full.contains("compared text"))
        #expect(!full.contains("t is empty"))
        #expect(!full.contains("not three"))
    }

    @Test func arithmeticIsClampedAndEmptyStaysEmpty() throws {
        let program = try #require(compile("""
            @set big = 9223372036854775807
            @set more = big + 10
            @set less = -big - 10
            @set negated = -(less)
            @rate n "n" 0..10
            @set sum = n + 1
            @set label = "kind words"
            """))
        let skipped = Rehearsal.run(program, steps: answers("/skip"))
        #expect(skipped.engine.value(of: "more") == .number(.max))
        #expect(skipped.engine.value(of: "less") == .number(.min))
        #expect(skipped.engine.value(of: "negated") == .number(.max))
        #expect(skipped.engine.value(of: "sum") == .empty)
        #expect(skipped.engine.value(of: "label") == .text("kind words"))
        let answered = Rehearsal.run(program, steps: answers("4"))
        #expect(answered.engine.value(of: "sum") == .number(5))
    }

    @Test func repeatCountsAndNesting() {
        #expect(transcript("""
            @repeat 2 times
              @repeat 3
                @bell
              @pause 1s
            """) == """
            [bell]
            [bell]
            [bell]
            [pause 1s]
            [bell]
            [bell]
            [bell]
            [pause 1s]

            Finished at 0:02. Take a moment before you move on.

            """)
    }

    @Test func repeatForFinishesTheCycleInProgress() throws {
        let program = try #require(compile("""
            @repeat for 10s
              @pause 4s
            """))
        let outcome = Rehearsal.run(program, steps: [])
        // Starts at 0, 4, 8 (8 < 10), and the third cycle completes at 12.
        let end: Effect? = .finished(at: .seconds(12))
        #expect(outcome.effects.last == end)
    }

    @Test func sectionsCallsAndGotos() {
        let body = """
            Start.
            @call breath
            Back from the call.
            @goto closing
            @section breath
            Breathe.
            @pause 1s
            @section closing
            Closing.
            @call inner
            @end
            @section inner
            Inner, then jump.
            @goto last
            @section last
            Last, reached by a goto that left the call.
            """
        #expect(transcript(body) == """
            Start.

            Breathe.

            [pause 1s]

            Back from the call.

            Closing.

            Inner, then jump.

            Last, reached by a goto that left the call.

            Finished at 0:01. Take a moment before you move on.

            """)
    }

    @Test func flowFallsThroughIntoASection() {
        #expect(transcript("One.\n@section two\nTwo.").contains("One.\n\nTwo."))
    }

    @Test func reflectIsShownAndKept() throws {
        let program = try #require(compile("""
            @ask need "What do you need?"
            @reflect
              Today I noticed that
              I need {need}.
            """))
        let outcome = Rehearsal.run(program, steps: answers("rest"))
        #expect(outcome.effects.contains(.reflection("Today I noticed that I need rest.", line: 4)))
        #expect(outcome.engine.reflection == "Today I noticed that I need rest.")
    }

    @Test func anAnswerThatEndsItsSentenceGetsNoSecondFullStop() throws {
        let program = try #require(compile("""
            @ask what "What happened?"
            @ask how "How was it?"
            What happened: {what}. It was {how}... {what}, {how}.
            """))
        #expect(Rehearsal.run(program, steps: answers("The rain.", "wet")).transcript
            .contains("What happened: The rain. It was wet... The rain., wet."))
        #expect(Rehearsal.run(program, steps: answers("Rain!", "cold?")).transcript
            .contains("What happened: Rain! It was cold?... Rain!, cold?\n"))
        #expect(Rehearsal.run(program, steps: answers("Rain", "cold")).transcript
            .contains("What happened: Rain. It was cold... Rain, cold."))
    }

    @Test func endStopsAtOnce() {
        #expect(transcript("Before.\n@end\n@section later\nAfter.") == """
            Before.

            Finished at 0:00. Take a moment before you move on.

            """)
    }

    @Test func cautionMustBeConfirmed() throws {
        let header = "caution: Do not practise this in water or while driving.\n"
        let yes = transcript("Go.", answers("YES"), header: header)
        #expect(yes.hasPrefix("Before you begin: Do not practise this in water or while driving.\n\nDo you want to go on? (y/n)\n> YES\n\nGo."))
        // Neither yes nor no ("maybe", or an empty line) is asked again; "no" declines.
        let no = transcript("Go.", answers("maybe", "no"), header: header)
        #expect(!no.contains("Go."))
        #expect(no.contains("> maybe\n\nPlease answer y to go on, or n to stop here.\nDo you want to go on? (y/n)\n> no\n"))
        #expect(no.contains("You chose not to begin."))
    }

    @Test func lastValuesComeFromTheSnapshot() {
        let body = """
            @if last.need
              Last time you said you needed {last.need}.
            @ask need "What do you need now?"
            """
        #expect(transcript(body, answers("quiet"), last: ["need": .text("a walk")])
            .hasPrefix("Last time you said you needed a walk."))
        #expect(transcript(body, answers("quiet")).hasPrefix("What do you need now?"))
    }

    @Test func includedSectionsCanBeCalled() throws {
        let files: [String: String] = [
            "main.attune": "title: Main\n---\n@include \"parts/ground.attune\"\nHello.\n@call feet\nBye.\n",
            "parts/ground.attune": "title: Grounding\n---\n@section feet\nFeel your feet.\n@pause 2s\n",
        ]
        let result = Checker.check(SourceFile(path: "main.attune", text: files["main.attune"] ?? "")) { path in
            files[path].map { SourceFile(path: path, text: $0) }
        }
        let program = try #require(result.program)
        let outcome = Rehearsal.run(program, steps: [])
        #expect(outcome.transcript == """
            Main

            Hello.

            Feel your feet.

            [pause 2s]

            Bye.

            Finished at 0:02. Take a moment before you move on.

            """)
    }

    @Test func theEndOfInputAtAPromptStopsCleanly() throws {
        let program = try #require(compile("@ask a \"A?\"\n@ask b \"B?\""))
        let outcome = Rehearsal.run(program, steps: answers("one"))
        guard case .stopped(let stop) = outcome.engine.state else {
            Issue.record("expected a stop")
            return
        }
        #expect(stop.reason == .byPerson)
        #expect(outcome.engine.value(of: "a") == .text("one"))
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    func components(_ separator: String) -> Int {
        split(separator: separator, omittingEmptySubsequences: false).count - 1
    }
}
