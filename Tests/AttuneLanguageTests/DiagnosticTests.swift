@testable import AttuneLanguage
import Testing

/// One input for a diagnostic: the text (as `test.attune`, with markers), the exact set of
/// diagnostics it must give, and the other files `@include` can read.
struct DiagnosticCase: Sendable, CustomTestStringConvertible {
    var name: String
    var marked: String
    var expected: [(String, DiagnosticCode)]
    var files: [String: String] = [:]

    var testDescription: String { name }
}

@Suite("Every diagnostic at its place")
struct DiagnosticTests {
    /// At least one case for every code in the catalogue (``everyCodeHasACase()`` makes sure).
    static let cases: [DiagnosticCase] = [
        DiagnosticCase(name: "A001 an unknown statement", marked: exercise("1️⃣@pasue 5s"),
                       expected: [("1", .unknownStatement)]),
        DiagnosticCase(name: "A002 arguments after @bell", marked: exercise("@bell 1️⃣loud"),
                       expected: [("1", .malformedStatement)]),
        DiagnosticCase(name: "A003 an unknown breath phase", marked: exercise("@breathe 1️⃣inn 4s out 4s"),
                       expected: [("1", .unknownBreathPhase)]),
        DiagnosticCase(name: "A004 an unquoted prompt", marked: exercise("@ask feeling 1️⃣How are you?"),
                       expected: [("1", .unquotedPrompt)]),
        DiagnosticCase(name: "A005 a prompt with no closing quote", marked: exercise("@ask feeling 1️⃣\"How are you?"),
                       expected: [("1", .unterminatedString)]),
        DiagnosticCase(name: "A006 @else without @if", marked: exercise("Hello.\n1️⃣@else\n  Goodbye."),
                       expected: [("1", .elseWithoutIf)]),
        DiagnosticCase(name: "A006 @elif without @if", marked: exercise("@set x = 1\n1️⃣@elif x == 1\n  Goodbye."),
                       expected: [("1", .elseWithoutIf)]),
        DiagnosticCase(name: "A007 prose under @choose",
                       marked: exercise("@choose c \"Pick one\"\n  - Calm\n  1️⃣Hello.\n  - Busy"),
                       expected: [("1", .notAnOption)]),
        DiagnosticCase(name: "A008 no --- after the header", marked: "title: Test\n1️⃣Hello there.\n@pause 1s\n",
                       expected: [("1", .missingSeparator)]),
        DiagnosticCase(name: "A009 no title", marked: "summary: Short\n1️⃣---\nHello.\n",
                       expected: [("1", .missingTitle)]),
        DiagnosticCase(name: "A010 a header key twice", marked: "title: One\n1️⃣title: Two\n---\nHello.\n",
                       expected: [("1", .duplicateHeaderKey)]),
        DiagnosticCase(name: "A011 a header line without a key", marked: "title: Test\n1️⃣just some words\n---\nHello.\n",
                       expected: [("1", .headerLineWithoutKey)]),
        DiagnosticCase(name: "A012 units out of order", marked: exercise("@pause 1️⃣1s1m"),
                       expected: [("1", .badDuration)]),
        DiagnosticCase(name: "A013 an empty rating range", marked: exercise("@rate r \"How much?\" 1️⃣5..5"),
                       expected: [("1", .badRange)]),
        DiagnosticCase(name: "A014 a tab in indentation", marked: exercise("@repeat 2\n1️⃣\t@pause 1s"),
                       expected: [("1", .tabIndentation)]),
        DiagnosticCase(name: "A015 a block statement with no block", marked: exercise("1️⃣@repeat 2\n@bell"),
                       expected: [("1", .missingBlock)]),
        DiagnosticCase(name: "A016 an indented line under @bell", marked: exercise("@bell\n  1️⃣@bell"),
                       expected: [("1", .unexpectedIndent)]),
        DiagnosticCase(name: "A017 nesting 65 deep",
                       marked: exercise((0...64).map { String(repeating: " ", count: $0) + "@repeat 1\n" }.joined()
                           + String(repeating: " ", count: 65) + "1️⃣@pause 1s"),
                       expected: [("1", .nestingTooDeep)]),
        DiagnosticCase(name: "A018 an unclosed brace", marked: exercise("Hello 1️⃣{name."),
                       expected: [("1", .unmatchedBrace)]),
        DiagnosticCase(name: "A019 @goto to no section", marked: exercise("@goto 1️⃣nowhere"),
                       expected: [("1", .unknownSection)]),
        DiagnosticCase(name: "A020 a section twice",
                       marked: exercise("@section a\nHi.\n@section 1️⃣a\nHo."),
                       expected: [("1", .duplicateSection)]),
        DiagnosticCase(name: "A021 @section inside a block",
                       marked: exercise("@repeat 2\n  @pause 1s\n  1️⃣@section inner\n  @pause 1s"),
                       expected: [("1", .notAtTopLevel)]),
        DiagnosticCase(name: "A022 two sections that call each other",
                       marked: exercise("""
                           @call a
                           @end
                           @section a
                           @pause 1s
                           @call b
                           @section b
                           @pause 1s
                           1️⃣@call a
                           """),
                       expected: [("1", .recursion)]),
        DiagnosticCase(name: "A023 a variable no path assigns", marked: exercise("Hello {1️⃣nobody}."),
                       expected: [("1", .unassignedRead)]),
        DiagnosticCase(name: "A024 a number, then text",
                       marked: exercise("@set n = 1\n@set 1️⃣n = \"one\""),
                       expected: [("1", .typeMismatch)]),
        DiagnosticCase(name: "A025 a @repeat for whose only path is a prompt",
                       marked: exercise("1️⃣@repeat for 5m\n  @ask a \"How is it now?\""),
                       expected: [("1", .spinningRepeat)]),
        DiagnosticCase(name: "A026 a @goto loop of prose only",
                       marked: exercise("@section loop\nHello again.\n1️⃣@goto loop"),
                       expected: [("1", .spinningGoto)]),
        DiagnosticCase(name: "A027 a missing include", marked: exercise("@include 1️⃣\"missing.attune\""),
                       expected: [("1", .includeMissing)]),
        DiagnosticCase(name: "A028 a file that includes itself", marked: exercise("@include 1️⃣\"test.attune\""),
                       expected: [("1", .includeCircular)]),
        DiagnosticCase(name: "A029 invalid UTF-8", marked: exercise("Hello.\nCaf1️⃣⟪E9⟫ au lait.\n@pause 1s"),
                       expected: [("1", .invalidUTF8)]),
        DiagnosticCase(name: "A030 a variable name that starts with a digit",
                       marked: exercise("@ask 1️⃣9lives \"How many?\""),
                       expected: [("1", .badName)]),
        DiagnosticCase(name: "A031 an expression that cannot be read", marked: exercise("@set x = 1️⃣* 2"),
                       expected: [("1", .badExpression)]),
        DiagnosticCase(name: "A032 a condition as a value",
                       marked: exercise("@set a = 1\n@set b = 2\n@set x = 1️⃣a < b"),
                       expected: [("1", .conditionAsValue)]),
        DiagnosticCase(name: "A033 a value as a condition",
                       marked: exercise("@set a = 1\n@if 1️⃣a + 2\n  Hi."),
                       expected: [("1", .valueAsCondition)]),
        DiagnosticCase(name: "A034 an option twice, ignoring case",
                       marked: exercise("@choose c \"Pick one\"\n  - Calm\n  - 1️⃣calm"),
                       expected: [("1", .duplicateOption)]),
        DiagnosticCase(name: "A034 an option twice in a long menu (past 16 options)",
                       marked: exercise("@choose c \"Pick one\"\n"
                           + (1...20).map { "  - Option \($0)\n" }.joined() + "  - 1️⃣OPTION 3"),
                       expected: [("1", .duplicateOption)]),
        DiagnosticCase(name: "A035 an option with a jump and a block",
                       marked: exercise("@choose c \"Pick one\"\n  1️⃣- Go -> later\n    Hello.\n@section later\n@pause 1s"),
                       expected: [("1", .optionJumpAndBlock)]),
        DiagnosticCase(name: "A036 a number too large for 64 bits",
                       marked: exercise("@set x = 1️⃣99999999999999999999"),
                       expected: [("1", .numberTooLarge)]),
        DiagnosticCase(name: "A037 parentheses 65 deep",
                       marked: exercise("@set x = " + String(repeating: "(", count: 65) + "1️⃣1"
                           + String(repeating: ")", count: 65)),
                       expected: [("1", .expressionTooDeep)]),
        DiagnosticCase(name: "A038 @goto into an included section",
                       marked: exercise("@include \"lib.attune\"\n@goto 1️⃣calm"),
                       expected: [("1", .gotoIncludedSection)],
                       files: ["lib.attune": "title: Lib\n---\n@section calm\n@pause 1s\n"]),
        DiagnosticCase(name: "A039 a statement inside @reflect",
                       marked: exercise("@reflect\n  Something I noticed.\n  1️⃣@bell"),
                       expected: [("1", .proseOnly)]),
        DiagnosticCase(name: "A040 indentation that matches no block",
                       marked: exercise("@repeat 2\n    @bell\n  1️⃣@bell"),
                       expected: [("1", .badIndentation)]),
        DiagnosticCase(name: "A041 an included file with errors",
                       marked: exercise("@include 1️⃣\"lib.attune\"\n@call calm"),
                       expected: [("1", .includedFileErrors), ("lib.attune:1", .unknownStatement)],
                       files: ["lib.attune": "title: Lib\n---\n@section calm\n1️⃣@pasue 1s\n"]),
        DiagnosticCase(name: "A042 more lines than attune reads",
                       marked: exercise(String(repeating: "\n", count: Parser.maximumLines - 2) + "1️⃣Hello.\n@pause 1s\n"),
                       expected: [("1", .tooManyLines)]),
        DiagnosticCase(name: "A101 an unknown header key", marked: "title: Test\n1️⃣mood: calm\n---\nHello.\n",
                       expected: [("1", .unknownHeaderKey)]),
        DiagnosticCase(name: "A102 code after @end", marked: exercise("@end\n1️⃣Hello."),
                       expected: [("1", .unreachableCode)]),
        DiagnosticCase(name: "A103 a section nothing reaches",
                       marked: exercise("Hello.\n@end\n@section 1️⃣lonely\nGoodbye."),
                       expected: [("1", .unreachableSection)]),
        DiagnosticCase(name: "A104 an @if that assigns on one side only",
                       marked: exercise("""
                           @rate r "How much?" 0..10
                           @if r > 5
                             @set x = 1
                           The value is {1️⃣x}.
                           """),
                       expected: [("1", .mayBeUnset)]),
        DiagnosticCase(name: "A105 an option's arrow with no space before it",
                       marked: exercise("@choose c \"Now?\"\n  - Rest1️⃣->closing\n@section closing\nBye."),
                       expected: [("1", .labelLooksLikeJump)]),
    ]

    @Test(arguments: cases)
    func diagnostic(_ example: DiagnosticCase) {
        expectDiagnostics(example.marked, example.expected, files: example.files)
    }

    @Test func everyCodeHasACase() {
        let covered = Set(Self.cases.flatMap { $0.expected.map(\.1) })
        let missing = DiagnosticCode.all.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "no test case for \(missing.map(\.id))")
    }

    @Test func theCatalogueIsInOrderAndCodesAreUnique() {
        let ids = DiagnosticCode.all.map(\.id)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        for code in DiagnosticCode.all {
            #expect(code.severity == (code.id.hasPrefix("A0") ? .error : .warning), "\(code.id)")
            #expect(!code.summary.isEmpty && !code.fix.isEmpty, "\(code.id)")
            #expect(DiagnosticCode.named(code.id.lowercased()) == code)
        }
    }
}
