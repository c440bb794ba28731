@testable import AttuneLanguage
import Testing

/// The syntax errors each statement can give, one form at a time, and the recovery that
/// keeps one mistake to one diagnostic.
@Suite("Syntax: each statement's mistakes")
struct SyntaxDiagnosticTests {
    // MARK: Header

    @Test func headerProblems() {
        expectDiagnostics("1️⃣title:\n---\nHello.\n", [("1", .missingTitle)])
        expectDiagnostics("1️⃣Title: Calm\n2️⃣---\nHello.\n", [("1", .unknownHeaderKey), ("2", .missingTitle)])
        expectDiagnostics("title: Calm\n1️⃣: no key\n---\nHello.\n", [("1", .headerLineWithoutKey)])
        expectDiagnostics("title: Calm\nsummary: One\n1️⃣summary: Two\n---\n", [("1", .duplicateHeaderKey)])
        // No header at all: the first line starts the body, and the title is missing.
        expectDiagnostics("1️⃣Hello.\n@pause 1s\n", [("1", .missingSeparator), ("1", .missingTitle)])
        // Only a header: the separator is missing at the end of the file.
        expectDiagnostics("title: Calm\n// nothing else1️⃣", [("1", .missingSeparator)])
    }

    @Test func headerValuesArePlainText() {
        let program = expectClean("title: {not} \\a {template}\ntags: one, two ,, three\ncaution: Stop if dizzy.\n---\nHi.\n")
        #expect(program?.title == "{not} \\a {template}")
        #expect(program?.tags == ["one", "two", "three"])
        #expect(program?.caution == "Stop if dizzy.")
    }

    // MARK: Statements

    @Test func statementWords() {
        expectDiagnostics(exercise("1️⃣@Pause 5s"), [("1", .unknownStatement)])
        expectDiagnostics(exercise("1️⃣@ 5s"), [("1", .unknownStatement)])
        expectDiagnostics(exercise("@pause1️⃣: 5s"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@pause1️⃣5s"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("1️⃣@wait 5s"), [("1", .unknownStatement)])
        // Misspellings get a suggestion; two letters swapped count as one slip.
        let swapped = Checker.check(text: exercise("@puase 5s"))
        #expect(swapped.diagnostics.first?.message.contains("did you mean `@pause`?") == true)
        #expect(EditDistance.between("puase", "pause") == 1)
        #expect(EditDistance.between("ca", "abc") == 3)
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("breathe", "x", limit: 2) == 3)
        // A prose line may begin with an escaped `@`.
        expectClean(exercise("\\@home is where I breathe."))
    }

    @Test func anArrowWithNoSpaceBeforeItIsPartOfTheLabelAndWarned() throws {
        let result = expectDiagnostics(exercise("""
            @choose next "Where now?"
              - Rest1️⃣->closing
              - A -> closing
              - B->not a name
            @section closing
            Bye.
            """), [("1", .labelLooksLikeJump)])
        #expect(result.diagnostics.first?.message
            == "this option's label holds `->`, so it does not jump; to jump, put a space before the arrow: `- Rest -> closing`")
        let program = try #require(result.program)
        guard case .choose(_, _, let options, _) = program.instructions.first(where: {
            if case .choose = $0.op { true } else { false }
        })?.op else {
            Issue.record("no menu")
            return
        }
        #expect(options.map(\.label) == ["Rest->closing", "A", "B->not a name"])
        #expect(options.map(\.isJump) == [false, true, false])
    }

    /// Suggestions an author trying the language found wrong or missing.
    @Test func suggestionsSayWhatWasMeant() {
        func message(_ text: String) -> String? { Checker.check(text: text).diagnostics.first?.message }
        // An unquoted prompt: what follows it stays outside the quotes.
        #expect(message(exercise("@rate m How are you? 0..10")) == "put the prompt in double quotes: `\"How are you?\" 0..10`")
        #expect(message(exercise("@ask a What now? multiline")) == "put the prompt in double quotes: `\"What now?\" multiline`")
        #expect(message(exercise("@write w Tell me for 5m")) == "put the prompt in double quotes: `\"Tell me\" for 5m`")
        // `=>` means `>=`, not `==`.
        #expect(message(exercise("@rate r \"?\" 0..10\n@if r => 2\n  Hi.")) == "`=>` is not an operator; for at least, write `>=`")
        #expect(message(exercise("@rate r \"?\" 0..10\n@if r =< 2\n  Hi.")) == "`=<` is not an operator; for at most, write `<=`")
        // A slip in `times`, and in a header key.
        #expect(message(exercise("@repeat 3 time\n  @bell")) == "unexpected `time` after `@repeat 3`; did you mean `times`?")
        #expect(message("titel: T\n---\nHi.\n") == "unknown header key `titel`; did you mean `title`?")
        // Two edits make any short name into any other: no suggestion for them.
        #expect(message(exercise("@ask q \"?\"\nYou said {zz}.")) == "`zz` is never assigned; check the name, or assign it first")
        #expect(EditDistance.closest(to: "nam", in: ["name"]) == "name")
        #expect(EditDistance.closest(to: "zz", in: ["q"]) == nil)
    }

    @Test func pauseForms() {
        expectDiagnostics(exercise("@pause1️⃣"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@pause 5s 1️⃣Arriving"), [("1", .unquotedPrompt)])
        expectDiagnostics(exercise("@pause 5s \"Arriving\"1️⃣now"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@pause 5s \"Arriving\" 1️⃣now"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@pause 5s 1️⃣\"Arriving"), [("1", .unterminatedString)])
        expectClean(exercise("@pause 5s \"Arriving \\\"here\\\" \\{now\\}\""))
    }

    @Test(arguments: [".5s", "1s1m", "1m1m", "5", "0s", "0ms", "25h", "24h1ms", "1x", "1.s", "2..5s", "1m-3s",
                      "99999999999999999999s", "4 s", "5sec", "1H"])
    func badDurations(_ written: String) {
        expectDiagnostics(exercise("@pause 1️⃣\(written)"), [("1", .badDuration)])
    }

    @Test func goodDurations() {
        expectClean(exercise("@pause 500ms\n@pause 2.5s\n@pause 1m30s\n@pause 1h2m3s4ms\n@pause 24h\n@pause 0.001ms"))
    }

    @Test func breatheForms() {
        expectDiagnostics(exercise("@breathe1️⃣"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@breathe in1️⃣"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@breathe 1️⃣4s in 4s"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@breathe in 4s 1️⃣exhale 4s"), [("1", .unknownBreathPhase)])
        expectDiagnostics(exercise("@breathe in 1️⃣0s"), [("1", .badDuration)])
        expectDiagnostics(exercise("@breathe 1️⃣\"in\" 4s"), [("1", .unknownBreathPhase)])
    }

    @Test func promptForms() {
        expectDiagnostics(exercise("@ask1️⃣"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@ask 1️⃣\"Name?\""), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@ask name1️⃣"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@ask name \"Name?\" 1️⃣multi"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@ask 1️⃣my-name \"Name?\""), [("1", .badName)])
        expectDiagnostics(exercise("@write w \"Write\" for1️⃣"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@write w \"Write\" 1️⃣5m"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@write w \"Write\" for 1️⃣5"), [("1", .badDuration)])
        expectDiagnostics(exercise("@rate r \"How much?\"1️⃣"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@rate r \"How much?\" 1️⃣10"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@rate r \"How much?\" 1️⃣0...10"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@rate r \"How much?\" 1️⃣10..1"), [("1", .badRange)])
        expectDiagnostics(exercise("@rate r \"How much?\" 0..1️⃣99999999999999999999"), [("1", .numberTooLarge)])
        expectDiagnostics(exercise("@rate r \"How much?\" 0..10 1️⃣now"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@choose c1️⃣\n  - One"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@choose c 1️⃣Pick\n  - One"), [("1", .unquotedPrompt)])
        expectClean(exercise("@rate r \"How much?\" -10..-1\n@rate s \"Again?\" -9223372036854775808..9223372036854775807"))
    }

    @Test func setAndConditionForms() {
        expectDiagnostics(exercise("@set x 1️⃣1"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@set x 1️⃣== 1"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@set x =1️⃣"), [("1", .badExpression)])
        expectDiagnostics(exercise("@set x = 1️⃣12ab"), [("1", .badExpression)])
        expectDiagnostics(exercise("@set x = 1️⃣\"open"), [("1", .unterminatedString)])
        expectDiagnostics(exercise("@set x = 1️⃣and"), [("1", .badExpression)])
        expectDiagnostics(exercise("@set x = 1 +1️⃣"), [("1", .badExpression)])
        expectDiagnostics(exercise("@set x = 1 1️⃣2"), [("1", .badExpression)])
        expectDiagnostics(exercise("@set x = 1️⃣not 1"), [("1", .conditionAsValue)])
        expectDiagnostics(exercise("@set x = (1️⃣1 == 1)"), [("1", .conditionAsValue)])
        expectDiagnostics(exercise("@if1️⃣\n  Hi."), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@set a = 1\n@if a 1️⃣= 1\n  Hi."), [("1", .badExpression)])
        expectDiagnostics(exercise("@set a = 1\n@if a < 2 1️⃣< 3\n  Hi."), [("1", .badExpression)])
        expectDiagnostics(exercise("@set a = 1\n@if 1️⃣(a < 2\n  Hi."), [("1", .badExpression)])
        // Every comparison refuses to chain, and `and`/`or`/`not` are words only when whole.
        expectDiagnostics(exercise("@set a = 1\n@if a == 1 1️⃣!= 2\n  Hi."), [("1", .badExpression)])
        expectDiagnostics(exercise("@set a = 1\n@if a >= 1 1️⃣<= 2\n  Hi."), [("1", .badExpression)])
        let missing = expectDiagnostics(exercise("@set a = 1\n@if a == 1 and 1️⃣or\n  Hi."), [("1", .badExpression)])
        #expect(missing.diagnostics.first?.message == "a value is missing before `or`")
        expectClean(exercise("@set android = 1\n@set nothing = 1\n@set order = android + 1\n@if order > 1 and not nothing == 2\n  Hi."))
        expectDiagnostics(exercise("@set a = 1\n@if 1️⃣\"text\"\n  Hi."), [("1", .valueAsCondition)])
        expectDiagnostics(exercise("@set a = 1\n@if not 1️⃣a + 1\n  Hi."), [("1", .valueAsCondition)])
        expectDiagnostics(exercise("@set a = 1\n@if a == 1 and 1️⃣2\n  Hi."), [("1", .valueAsCondition)])
        expectDiagnostics(exercise("@set a = 1\n@if (1️⃣a == 1) == (2️⃣a == 2)\n  Hi."),
                          [("1", .conditionAsValue), ("2", .conditionAsValue)])
    }

    @Test func repeatForms() {
        expectDiagnostics(exercise("@repeat1️⃣\n  @bell"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@repeat 1️⃣5m\n  @bell"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@repeat 1️⃣0\n  @bell"), [("1", .badRange)])
        expectDiagnostics(exercise("@repeat 1️⃣10001\n  @bell"), [("1", .badRange)])
        expectDiagnostics(exercise("@repeat 1️⃣-1\n  @bell"), [("1", .badRange)])
        expectDiagnostics(exercise("@repeat 3 1️⃣time\n  @bell"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@repeat 1️⃣99999999999999999999\n  @bell"), [("1", .numberTooLarge)])
        expectDiagnostics(exercise("@repeat 1️⃣for\n  @bell"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@repeat for 1️⃣5\n  @bell"), [("1", .badDuration)])
        expectClean(exercise("@repeat 10000 times\n  @bell\n@repeat 1\n  @bell\n@repeat for 24h\n  @pause 1s"))
    }

    @Test func sectionsAndIncludesForms() {
        expectDiagnostics(exercise("@section1️⃣"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@section 1️⃣1st"), [("1", .badName)])
        expectDiagnostics(exercise("@section a 1️⃣b"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@goto 1️⃣\"a\""), [("1", .badName)])
        expectDiagnostics(exercise("@call1️⃣"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@include1️⃣"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@include 1️⃣lib.attune"), [("1", .unquotedPrompt)])
        expectDiagnostics(exercise("@include 1️⃣\"lib.attune"), [("1", .unterminatedString)])
        expectDiagnostics(exercise("@include 1️⃣\"\""), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@include \"lib.attune\" 1️⃣again"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@if 1 == 1\n  1️⃣@include \"lib.attune\""), [("1", .notAtTopLevel)],
                          files: ["lib.attune": "title: Lib\n---\n"])
        expectClean(exercise("@section a-1_b\n@pause 1s\n@section Ünïcode\n@pause 1s"))
    }

    @Test func noArgumentStatements() {
        expectDiagnostics(exercise("@end 1️⃣now"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@reflect 1️⃣today\n  Prose."), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@set a = 1\n@if a == 1\n  Hi.\n@else 1️⃣if a\n  Ho."), [("1", .malformedStatement)])
    }

    // MARK: Menus

    @Test func menuForms() {
        expectDiagnostics(exercise("@choose c \"Pick\"\n  - One\n  1️⃣@bell"), [("1", .notAnOption)])
        expectDiagnostics(exercise("@choose c \"Pick\"\n  -1️⃣\n  - Two"), [("1", .malformedStatement)])
        expectDiagnostics(exercise("@choose c \"Pick\"\n  - Feeling -> 1️⃣calm?\n  - Two"), [("1", .badName)])
        expectDiagnostics(exercise("@choose c \"Pick\"\n  - One ->1️⃣\n  - Two"), [("1", .badName)])
        expectDiagnostics(exercise("@choose c \"Pick\"\n  - One -> 1️⃣9\n  - Two"), [("1", .badName)])
        expectDiagnostics(exercise("@choose c \"Pick\"\n  - One -> 1️⃣nowhere\n  - Two"), [("1", .unknownSection)])
        expectDiagnostics(exercise("1️⃣@choose c \"Pick\"\n@bell"), [("1", .missingBlock)])
        // An option block must be one level deeper than the option.
        expectDiagnostics(exercise("@choose c \"Pick\"\n  - One\n  - Two\n1️⃣- Three"), [])
        // Under @choose a dash with no space is prose, so it is not an option.
        expectDiagnostics(exercise("@choose c \"Pick\"\n  - One\n  1️⃣-Two"), [("1", .notAnOption)])
        // Labels are kept as written, any characters; `->` inside a label without a name after it.
        let program = expectClean(exercise("""
            @choose c "Pick"
              - Feeling {not interpolated}
              - A → B
              - Go on -> later
            @section later
            @pause 1s
            """))
        guard case .choose(_, _, let options, _)? = program?.instructions.first?.op else {
            Issue.record("no menu")
            return
        }
        #expect(options.map(\.label) == ["Feeling {not interpolated}", "A → B", "Go on"])
        #expect(options.map(\.isJump) == [false, false, true])
    }

    // MARK: Prose and templates

    @Test func templateProblems() {
        expectDiagnostics(exercise("A closing 1️⃣} alone."), [("1", .unmatchedBrace)])
        expectDiagnostics(exercise("Empty 1️⃣{} braces."), [("1", .badName)])
        expectDiagnostics(exercise("Not a name 1️⃣{9lives}."), [("1", .badName)])
        expectDiagnostics(exercise("Two 1️⃣{open {2️⃣name} x"), [("1", .unmatchedBrace), ("2", .unassignedRead)])
        expectDiagnostics(exercise("@ask a \"Say 1️⃣{b\""), [("1", .unmatchedBrace)])
        expectDiagnostics(exercise("@pause 1s \"1️⃣}\""), [("1", .unmatchedBrace)])
        expectClean(exercise("Braces \\{ and \\}, a \\\\ and \\@, a URL https://x.org/a\\b // not a comment."))
    }

    @Test func manyBraceProblemsOnOneLineAreCapped() {
        let line = String(repeating: "} {9} ", count: 1000)
        let result = Checker.check(text: exercise(line))
        #expect(result.diagnostics.count == TemplateParser.maximumPerLine)
    }

    // MARK: Indentation and blocks

    @Test func indentation() {
        expectDiagnostics(exercise("@repeat 2\n  @bell\n1️⃣\t@bell"), [("1", .tabIndentation)])
        expectDiagnostics(exercise("@repeat 2\n 1️⃣\t @bell"), [("1", .tabIndentation)])
        // A tab in a blank line is not indentation.
        expectClean(exercise("@repeat 2\n  @bell\n\t\n  @bell"))
        expectDiagnostics(exercise("Hello.\n  1️⃣Indented prose."), [("1", .unexpectedIndent)])
        // After one unexpected indent, the lines of the same run are not reported again.
        expectDiagnostics(exercise("@bell\n  1️⃣@bell\n    @bell\n  @bell\n@bell"), [("1", .unexpectedIndent)])
        expectDiagnostics(exercise("@repeat 2\n    @bell\n   1️⃣@bell\n@bell"), [("1", .badIndentation)])
        expectDiagnostics(exercise("@repeat 2\n  @bell\n1️⃣@reflect\n@bell"), [("1", .missingBlock)])
        // A block whose only lines are comments is still missing.
        expectDiagnostics(exercise("1️⃣@repeat 2\n  // nothing\n@bell"), [("1", .missingBlock)])
    }

    @Test func sixtyFourLevelsAreAllowed() {
        let body = (0..<64).map { String(repeating: " ", count: $0) + "@repeat 1\n" }.joined()
            + String(repeating: " ", count: 64) + "@pause 1s\n"
        expectClean(exercise(body))
    }

    @Test func reflectHoldsProseOnly() {
        expectDiagnostics(exercise("@reflect\n  Noticed.\n  1️⃣@pause 1s\n  More."), [("1", .proseOnly)])
        let program = expectClean(exercise("@reflect\n  What I noticed:\n  // a note\n  it passed."))
        guard case .reflect(let text)? = program?.instructions.first?.op else {
            Issue.record("no reflection")
            return
        }
        #expect(text.parts == [.literal("What I noticed: it passed.")])
    }

    // MARK: Recovery: one mistake, one diagnostic

    @Test func aStatementThatCannotBeReadKeepsItsBlock() {
        // The block under a broken @if, @elif, @else, @repeat or unknown statement is
        // still read and checked, and raises no indentation error of its own.
        expectDiagnostics(exercise("@set a = 1\n@if a 1️⃣=\n  Hi {a}.\n@else\n  Ho."), [("1", .badExpression)])
        expectDiagnostics(exercise("@set a = 1\n@if a == 1\n  Hi.\n@elif a +1️⃣\n  Ho.\n@else\n  Hum."),
                          [("1", .badExpression)])
        expectDiagnostics(exercise("1️⃣@repaet 3\n  @pause 1s\n  Hi {2️⃣nobody}."),
                          [("1", .unknownStatement), ("2", .unassignedRead)])
        expectDiagnostics(exercise("@repeat 1️⃣0\n  @ask a \"A?\"\nSaid {a}."), [("1", .badRange)])
        expectDiagnostics(exercise("@choose c 1️⃣Pick\n  - One\n    @set v = 1\nValue {v}."), [("1", .unquotedPrompt)])
        // A statement that never takes a block still reports the indented line.
        expectDiagnostics(exercise("@pause 1️⃣5\n  2️⃣Hi."), [("1", .badDuration), ("2", .unexpectedIndent)])
        // A variable whose assignment could not be read is not reported as unassigned.
        expectDiagnostics(exercise("@ask name 1️⃣Who?\nHello {name}."), [("1", .unquotedPrompt)])
    }

    @Test func fourDifferentErrorsAtTheirLinesAndColumns() {
        let text = """
            title: Four
            ---
            Breathe with me.
            @pause 5
            @breathe in 4s inhale 4s
              @bell
            Hello {nobody}.

            """
        let result = Checker.check(text: text, path: "four.attune")
        let renderer = DiagnosticRenderer()
        let firstLines = result.diagnostics.sortedByPosition().map {
            renderer.render($0, source: result.sources[$0.path]).split(separator: "\n")[0]
        }
        #expect(firstLines == [
            "four.attune:4:8: error[A012]: `5` is not a duration: a duration needs a unit (h, m, s or ms), as in `5s`",
            "four.attune:5:16: error[A003]: `inhale` is not a breath phase; use `in`, `hold` or `out`",
            "four.attune:6:3: error[A016]: this line is indented, but the line above takes no block",
            "four.attune:7:8: error[A023]: `nobody` is never assigned; check the name, or assign it first",
        ])
    }
}
