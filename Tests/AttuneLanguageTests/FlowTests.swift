@testable import AttuneLanguage
import Testing

/// The checks that follow the flow: reads, types, spins, recursion, unreachable code.
@Suite("Flow: branches, loops, sections and calls")
struct FlowTests {
    // MARK: Reads

    @Test func anIfThatAssignsOnOneSideOnlyMayLeaveItUnset() {
        expectDiagnostics(exercise("""
            @rate calm "How calm?" 0..10
            @if calm > 5
              @ask word "One word for it?"
            @else
              Let it be.
            You said {1️⃣word}.
            """), [("1", .mayBeUnset)])
        // Assigned on both sides: no warning.
        expectClean(exercise("""
            @rate calm "How calm?" 0..10
            @if calm > 5
              @ask word "One word for it?"
            @else
              @set word = "unsure"
            You said {word}.
            """))
    }

    @Test func aTestProvesAVariableSetInsideItsBlock() {
        expectClean(exercise("""
            @rate r "How much?" 0..10
            @if r > 5
              @ask name "Name?"
              @set n = 1
            @if name
              Hello {name}.
            @if name and n
              Both {name} and {n}.
            @elif name
              Only {name}.
            """))
        // A comparison is false when either side is empty, so its block has both.
        expectClean(exercise("""
            @rate r "How much?" 0..10
            @if r > 5
              @set n = 1
            @if n
              @if n + 1 > 1
                {n}
            """))
        // `or` and `not` prove nothing.
        expectDiagnostics(exercise("""
            @rate r "How much?" 0..10
            @if r > 5
              @ask a "A?"
              @ask b "B?"
            @if a or b
              {1️⃣a}
            @if not a
              {2️⃣a}
            @else
              {3️⃣a}
            """), [("1", .mayBeUnset), ("2", .mayBeUnset), ("3", .mayBeUnset)])
        // A comparison reads its variables: a possibly unset one is worth a warning there.
        expectDiagnostics(exercise("""
            @rate r "How much?" 0..10
            @if r > 5
              @set n = 1
            @if 1️⃣n > 0
              {n}
            """), [("1", .mayBeUnset)])
        // The right side of `and` runs only when the left holds: a test there guards it.
        expectDiagnostics(exercise("""
            @rate r "How much?" 0..10
            @if r > 5
              @set n = 1
            @if n and n > 0
              {n}
            @if 1️⃣n > 0 and r > n
              {n}
            @if r > 2 and 2️⃣n > 0
              {n}
            """), [("1", .mayBeUnset), ("2", .mayBeUnset)])
    }

    @Test func readsThatNoPathAssigns() {
        // Assigned only after the read.
        expectDiagnostics(exercise("Hello {1️⃣name}.\n@ask name \"Name?\""), [("1", .unassignedRead)])
        // Assigned only in a section that runs later.
        expectDiagnostics(exercise("""
            @set n = 1️⃣later + 1
            @goto next
            @section next
            @set later = 2
            """), [("1", .unassignedRead)])
        // In a prompt, a caption, a condition and a value.
        expectDiagnostics(exercise("""
            @ask a "About {1️⃣x}?"
            @pause 1s "For {2️⃣y}"
            @if 3️⃣z == 1
              Hi.
            @set n = -4️⃣w
            """), [("1", .unassignedRead), ("2", .unassignedRead), ("3", .unassignedRead), ("4", .unassignedRead)])
    }

    @Test func aMisspeltNameIsMetWithTheNameMeant() {
        let result = expectDiagnostics(exercise("""
            @ask mood "How are you?"
            You said {1️⃣mod}; {2️⃣weather} is another matter.
            """), [("1", .unassignedRead), ("2", .unassignedRead)])
        #expect(result.diagnostics.map(\.message) == [
            "`mod` is never assigned; did you mean `mood`?",
            "`weather` is never assigned; check the name, or assign it first",
        ])
        // A name from a statement that could not be read is still the one meant; that
        // statement's own error comes first.
        let unread = expectDiagnostics(exercise("""
            @ask feeling 1️⃣How do you feel?
            Good, {2️⃣feling}.
            """), [("1", .unquotedPrompt), ("2", .unassignedRead)])
        #expect(unread.diagnostics.last?.message == "`feling` is never assigned; did you mean `feeling`?")
    }

    @Test func aBareTestNeverWarns() {
        expectClean(exercise("""
            @if maybe
              Something.
            @ask maybe "Anything?"
            """))
    }

    @Test func lastValues() {
        // `last.v` needs v assigned somewhere in the file, even after the read.
        expectClean(exercise("Last time you said {last.word}.\n@ask word \"One word?\""))
        expectClean(exercise("@if last.word\n  Welcome back.\n@ask word \"One word?\""))
        expectDiagnostics(exercise("Last time: {1️⃣last.never}."), [("1", .unassignedRead)])
        expectDiagnostics(exercise("@if 1️⃣last.never\n  Hi."), [("1", .unassignedRead)])
        expectDiagnostics(exercise("@set n = 1️⃣last.never + 1"), [("1", .unassignedRead)])
    }

    @Test func loopsAndMenusKeepAssignments() {
        expectClean(exercise("""
            @repeat 3
              @rate r "How much?" 0..10
            You said {r}.
            @choose c "Pick"
              - One
              - Two
            You picked {c}.
            """))
        // An assignment inside one option only.
        expectDiagnostics(exercise("""
            @choose c "Pick"
              - One
                @set n = 1
              - Two
            {1️⃣n}
            """), [("1", .mayBeUnset)])
        // A call assigns what its section assigns on every path that returns.
        expectClean(exercise("""
            @call ask-name
            Hello {name}.
            @end
            @section ask-name
            @ask name "Name?"
            """))
    }

    // MARK: Types

    @Test func aTypeIsFixedByTheFirstAssignment() {
        expectDiagnostics(exercise("@rate level \"Level?\" 0..10\n@set 1️⃣level = \"high\""), [("1", .typeMismatch)])
        expectDiagnostics(exercise("@set n = 1\n@ask 1️⃣n \"Again?\""), [("1", .typeMismatch)])
        expectDiagnostics(exercise("@set t = \"text\"\n@set n = 1 + 2️⃣t"), [("2", .typeMismatch)])
        expectDiagnostics(exercise("@set t = \"text\"\n@set n = -2️⃣t"), [("2", .typeMismatch)])
        expectDiagnostics(exercise("@set t = \"a\"\n@if 1️⃣t < \"b\"\n  Hi."), [("1", .typeMismatch)])
        expectDiagnostics(exercise("@set t = \"a\"\n@set n = 1\n@if t == 1️⃣n\n  Hi."), [("1", .typeMismatch)])
        expectDiagnostics(exercise("@choose c \"Pick\"\n  - One\n@set 1️⃣c = 1"), [("1", .typeMismatch)])
        // A variable copied from another takes its type.
        expectDiagnostics(exercise("@set a = 1\n@set b = a\n@set 1️⃣b = \"x\""), [("1", .typeMismatch)])
        expectClean(exercise("@set t = \"a\"\n@if t != \"b\" and t == \"a\"\n  Hi.\n@set t = \"c\""))
    }

    // MARK: Loops that can spin

    @Test func aRepeatForWhoseOnlyPathIsAPromptSpins() {
        expectDiagnostics(exercise("1️⃣@repeat for 5m\n  @ask a \"How is it now?\""), [("1", .spinningRepeat)])
        expectDiagnostics(exercise("1️⃣@repeat for 5m\n  Just words.\n  @bell"), [("1", .spinningRepeat)])
        // One branch without a timed step is enough.
        expectDiagnostics(exercise("""
            @rate r "How much?" 0..10
            1️⃣@repeat for 1m
              @if r > 3
                @pause 4s
            """), [("1", .spinningRepeat)])
        expectClean(exercise("@repeat for 5m\n  @breathe in 4s out 6s"))
        expectClean(exercise("@repeat for 5m\n  @ask a \"Now?\"\n  @pause 1s"))
        // A call whose section always takes time counts as timed.
        expectClean(exercise("@repeat for 5m\n  @call breath\n@end\n@section breath\n@breathe in 4s out 4s"))
        expectDiagnostics(exercise("1️⃣@repeat for 5m\n  @call talk\n@end\n@section talk\nWords."),
                          [("1", .spinningRepeat)])
    }

    @Test func aMenusSkipPathCountsForRepeatFor() {
        // Every option pauses, but `/skip` runs no option.
        expectDiagnostics(exercise("""
            1️⃣@repeat for 5m
              @choose c "Which?"
                - Slow
                  @pause 6s
                - Fast
                  @pause 3s
            """), [("1", .spinningRepeat)])
        expectClean(exercise("""
            @repeat for 5m
              @choose c "Which?"
                - Slow
                  @pause 6s
                - Fast
                  @pause 3s
              @bell
              @pause 1s
            """))
    }

    @Test func aGotoLoopOfProseOnlySpins() {
        expectDiagnostics(exercise("@section loop\nHello again.\n1️⃣@goto loop"), [("1", .spinningGoto)])
        // Through two sections: reported once, at the @goto that closes the loop.
        expectDiagnostics(exercise("""
            @section a
            One.
            @goto b
            @section b
            Two.
            1️⃣@goto a
            """), [("1", .spinningGoto)])
        // A branch with only prose is a path with neither.
        expectDiagnostics(exercise("""
            @set r = 1
            @section loop
            @if r > 5
              @ask a "Again?"
            1️⃣@goto loop
            """), [("1", .spinningGoto)])
        // Through a call: the loop leaves the call by its @goto.
        expectDiagnostics(exercise("""
            @section a
            One.
            @call b
            @section b
            Two.
            1️⃣@goto a
            """), [("1", .spinningGoto)])
        // Jumps that only go forward close no loop.
        expectClean(exercise("@call a\n@goto b\n@section a\nOne.\n@section b\nTwo.\n@call c\n@section c\nThree."))
        // A prompt or a timed step on every path keeps the loop from spinning.
        expectClean(exercise("@section loop\n@ask a \"Again?\"\n@goto loop"))
        expectClean(exercise("@section loop\n@pause 1s\n@goto loop"))
        // An option that jumps back is a @goto loop too, but a menu is a prompt.
        expectClean(exercise("@section menu\n@choose c \"Again?\"\n  - Yes -> menu\n  - No"))
    }

    // MARK: Recursion

    @Test func twoSectionsThatCallEachOther() {
        expectDiagnostics(exercise("""
            @call a
            @end
            @section a
            @pause 1s
            @call b
            @section b
            @pause 1s
            1️⃣@call a
            """), [("1", .recursion)])
        // Called in the other order, the other @call closes the cycle.
        expectDiagnostics(exercise("""
            @call b
            @end
            @section a
            @pause 1s
            1️⃣@call b
            @section b
            @pause 1s
            @call a
            """), [("1", .recursion)])
        // A section that calls itself.
        expectDiagnostics(exercise("@call a\n@end\n@section a\n@pause 1s\n1️⃣@call a"), [("1", .recursion)])
        // The same section called twice in a row is no recursion.
        expectClean(exercise("@call a\n@call a\n@end\n@section a\n@pause 1s"))
        // The code after a call into a cycle still counts as reached: the section it goes
        // to is not reported as unreachable, and what a `@goto` skips still is.
        expectDiagnostics(exercise("""
            @call intro
            @goto main
            1️⃣Never.
            @section intro
            Hello.
            2️⃣@call intro
            @section main
            Hi.
            """), [("1", .unreachableCode), ("2", .recursion)])
    }

    // MARK: References

    @Test func unknownSections() {
        expectDiagnostics(exercise("@call 1️⃣closing\n@end\n@section 2️⃣closer\n@pause 1s"),
                          [("1", .unknownSection), ("2", .unreachableSection)])
        // Only reachable references are reported.
        expectDiagnostics(exercise("@end\n1️⃣@goto nowhere"), [("1", .unreachableCode)])
    }

    // MARK: Unreachable code

    @Test func codeAfterGotoOrEndThatNothingReaches() {
        expectDiagnostics(exercise("@goto next\n1️⃣Never shown.\n@section next\n@pause 1s"), [("1", .unreachableCode)])
        expectDiagnostics(exercise("""
            @rate r "How much?" 0..10
            @if r > 5
              @end
              1️⃣Never shown.
            Shown.
            """), [("1", .unreachableCode)])
        // A comment or a blank line after @end is not code.
        expectClean(exercise("Done.\n@end\n// the end\n\n"))
        // Reported once for the run of lines, at its first line.
        expectDiagnostics(exercise("@end\n1️⃣One.\n@pause 1s\n@bell"), [("1", .unreachableCode)])
    }

    @Test func sectionsThatNothingReaches() {
        expectDiagnostics(exercise("Hello.\n@end\n@section 1️⃣lonely\nGoodbye."), [("1", .unreachableSection)])
        // Flow checks run on reachable code only: the unassigned read in it is not reported.
        expectDiagnostics(exercise("@end\n@section 1️⃣lonely\nHello {nobody}.\n@goto nowhere"),
                          [("1", .unreachableSection)])
        // Reached by fall-through, a @goto, a @call or an option's jump.
        expectClean(exercise("@section a\n@pause 1s\n@section b\n@pause 1s"))
        expectClean(exercise("@goto b\n@section b\n@pause 1s"))
        expectClean(exercise("@call b\n@end\n@section b\n@pause 1s"))
        expectClean(exercise("@choose c \"Go?\"\n  - Yes -> b\n@end\n@section b\n@pause 1s"))
    }

    // MARK: The program

    @Test func theProgramRunsWhatTheFileSays() throws {
        let program = try #require(expectClean(exercise("""
            @set n = 1
            @repeat 2
              @breathe in 2s in 1s out 4s
            @if n == 1
              One.
            @else
              Other.
            """)))
        let ops = program.instructions.map { instruction -> String in
            switch instruction.op {
            case .set: "set"
            case .loopStart: "loopStart"
            case .loopNext(_, let count, let body): "loopNext \(count) \(body)"
            case .breathe(let kind, let duration, let topUp): "breathe \(kind.rawValue) \(duration) \(topUp)"
            case .branch(_, let otherwise): "branch \(otherwise)"
            case .say: "say"
            case .jump(let target): "jump \(target)"
            case .sectionEnd: "sectionEnd"
            case .end: "end"
            default: "other"
            }
        }
        #expect(ops == [
            "set", "loopStart", "breathe in 2s false", "breathe in 1s true", "breathe out 4s false", "loopNext 2 2",
            "branch 9", "say", "jump 10", "say", "sectionEnd", "end",
        ])
        #expect(program.variables == [Program.Variable(name: "n", type: .number)])
    }
}
