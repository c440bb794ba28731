/// The stable code of a kind of diagnostic, such as `A012`. Codes never change meaning and
/// are never reused: editors and the language reference refer to them. Errors are `A0xx`,
/// warnings `A1xx`. The catalogue below is the one place they are defined, in code order.
public struct DiagnosticCode: Hashable, Sendable, CustomStringConvertible {
    public let id: String
    public let severity: Diagnostic.Severity
    /// A one-line summary of the kind of problem.
    public let summary: String
    /// How to fix it, for the reference and `attune explain`.
    public let fix: String

    public var description: String { id }

    private init(_ id: String, _ severity: Diagnostic.Severity, _ summary: String, fix: String) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.fix = fix
    }

    public static func == (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    // MARK: - Errors

    public static let unknownStatement = DiagnosticCode("A001", .error,
        "an `@` statement that the language does not have",
        fix: "Check the spelling against the statement table; to start a prose line with `@`, write `\\@`.")
    public static let malformedStatement = DiagnosticCode("A002", .error,
        "a statement with wrong, missing or extra arguments",
        fix: "Compare the line with the statement's form in the reference, such as `@pause 5s \"caption\"`.")
    public static let unknownBreathPhase = DiagnosticCode("A003", .error,
        "a breath phase other than `in`, `hold` or `out`",
        fix: "Write each phase as `in`, `hold` or `out`, followed by its duration.")
    public static let unquotedPrompt = DiagnosticCode("A004", .error,
        "a prompt or caption that is not in double quotes",
        fix: "Put the prompt in double quotes: `@ask name \"What is on your mind?\"`.")
    public static let unterminatedString = DiagnosticCode("A005", .error,
        "a quoted string with no closing quote",
        fix: "End the string with `\"`; write a quote inside it as `\\\"`.")
    public static let elseWithoutIf = DiagnosticCode("A006", .error,
        "an `@elif` or `@else` that does not follow an `@if`",
        fix: "Place it directly after the `@if` block (or an `@elif` block) at the same indentation.")
    public static let notAnOption = DiagnosticCode("A007", .error,
        "a line under `@choose` that is not an option",
        fix: "Under `@choose`, write only options such as `- Label`; put other lines in an option's block.")
    public static let missingSeparator = DiagnosticCode("A008", .error,
        "a header with no `---` line after it",
        fix: "End the header with a line `---`, then start the exercise.")
    public static let missingTitle = DiagnosticCode("A009", .error,
        "a header with no title, or an empty one",
        fix: "Add `title: A short name` to the header.")
    public static let duplicateHeaderKey = DiagnosticCode("A010", .error,
        "a header key given twice",
        fix: "Keep one line for each key.")
    public static let headerLineWithoutKey = DiagnosticCode("A011", .error,
        "a header line that is not `key: value`",
        fix: "Write header lines as `key: value`, or end the header with `---` before the text.")
    public static let badDuration = DiagnosticCode("A012", .error,
        "a duration that does not follow the duration rules",
        fix: "Write parts such as `4s`, `1m30s` or `500ms`, largest unit first, more than zero and at most 24h.")
    public static let badRange = DiagnosticCode("A013", .error,
        "a range or count outside what the statement allows",
        fix: "A rating range needs LO < HI, such as `0..10`; `@repeat` takes 1 to 10,000.")
    public static let tabIndentation = DiagnosticCode("A014", .error,
        "a tab in indentation",
        fix: "Indent with spaces only; `attune fmt` writes two spaces a level.")
    public static let missingBlock = DiagnosticCode("A015", .error,
        "a block statement with no indented block under it",
        fix: "Indent the lines that belong to it under the statement.")
    public static let unexpectedIndent = DiagnosticCode("A016", .error,
        "an indented line under a line that takes no block",
        fix: "Remove the extra indentation, or move the line under a block statement.")
    public static let nestingTooDeep = DiagnosticCode("A017", .error,
        "blocks nested more than 64 deep",
        fix: "Move the inner part into a `@section` and `@call` it.")
    public static let unmatchedBrace = DiagnosticCode("A018", .error,
        "a `{` or `}` without its partner",
        fix: "Close the interpolation (`{name}`), or write a literal brace as `\\{` or `\\}`.")
    public static let unknownSection = DiagnosticCode("A019", .error,
        "a jump or call to a section that does not exist",
        fix: "Check the name against the `@section` lines, or add the section.")
    public static let duplicateSection = DiagnosticCode("A020", .error,
        "a section defined twice",
        fix: "Give each section its own name.")
    public static let notAtTopLevel = DiagnosticCode("A021", .error,
        "an `@section` or `@include` inside a block",
        fix: "Move the line to the top level, with no indentation.")
    public static let recursion = DiagnosticCode("A022", .error,
        "a section that calls itself, directly or through others",
        fix: "Use `@repeat` for repetition, or `@goto` to move on without coming back.")
    public static let unassignedRead = DiagnosticCode("A023", .error,
        "a variable read that no path assigns",
        fix: "Assign the variable before this point, or check the spelling of its name.")
    public static let typeMismatch = DiagnosticCode("A024", .error,
        "a value of the wrong type (text where a number is needed, or the other way)",
        fix: "A variable keeps the type of its first assignment; use another variable for the other type.")
    public static let spinningRepeat = DiagnosticCode("A025", .error,
        "a `@repeat for` whose body has a path with no timed step",
        fix: "Give every path through the body a `@pause` or `@breathe`, so each cycle takes time.")
    public static let spinningGoto = DiagnosticCode("A026", .error,
        "a `@goto` loop with a path that has neither a timed step nor a prompt",
        fix: "Add a `@pause`, a `@breathe` or a prompt inside the loop, or end it.")
    public static let includeMissing = DiagnosticCode("A027", .error,
        "an `@include` of a file that cannot be read",
        fix: "Check the path: it is relative to the file that includes it.")
    public static let includeCircular = DiagnosticCode("A028", .error,
        "files that include each other",
        fix: "Move the shared sections into a third file that both include.")
    public static let invalidUTF8 = DiagnosticCode("A029", .error,
        "a line that is not valid UTF-8",
        fix: "Save the file as UTF-8.")
    public static let badName = DiagnosticCode("A030", .error,
        "a name that is not a valid variable or section name",
        fix: "Variable names use letters, digits and `_`, starting with a letter; section names may also hold `-`.")
    public static let badExpression = DiagnosticCode("A031", .error,
        "an expression or condition that cannot be read",
        fix: "Use numbers, \"text\", variables, `+`, `-`, comparisons, `and`, `or`, `not` and parentheses.")
    public static let conditionAsValue = DiagnosticCode("A032", .error,
        "a condition where a value is needed",
        fix: "`@set` takes a value such as `a + 1`; use `@if` to test a condition.")
    public static let valueAsCondition = DiagnosticCode("A033", .error,
        "a value where a condition is needed",
        fix: "Compare the value (`x > 3`, `name == \"yes\"`), or test a bare variable (`@if name`).")
    public static let duplicateOption = DiagnosticCode("A034", .error,
        "two options with the same label",
        fix: "Labels are compared ignoring case; give each option its own label.")
    public static let optionJumpAndBlock = DiagnosticCode("A035", .error,
        "an option with both a `->` jump and a block",
        fix: "Keep the jump or the block, not both; a block can end with `@goto`.")
    public static let numberTooLarge = DiagnosticCode("A036", .error,
        "a number too large for 64 bits",
        fix: "Use a smaller number.")
    public static let expressionTooDeep = DiagnosticCode("A037", .error,
        "an expression nested or chained too deeply",
        fix: "Split it with `@set` into smaller steps.")
    public static let gotoIncludedSection = DiagnosticCode("A038", .error,
        "a `@goto` to a section of an included file",
        fix: "Sections of an included file can be `@call`ed, not jumped to.")
    public static let proseOnly = DiagnosticCode("A039", .error,
        "a statement inside `@reflect`, which holds prose only",
        fix: "Keep only prose lines under `@reflect`.")
    public static let badIndentation = DiagnosticCode("A040", .error,
        "a line whose indentation matches no enclosing block",
        fix: "Line the statement up with the block it belongs to.")
    public static let includedFileErrors = DiagnosticCode("A041", .error,
        "an `@include`d file that has errors of its own",
        fix: "Fix the included file; its own diagnostics say where.")
    public static let tooManyLines = DiagnosticCode("A042", .error,
        "a file with more lines or bytes than attune reads",
        fix: "An exercise is far shorter; split the file, or check that it is the file you meant.")

    // MARK: - Warnings

    public static let unknownHeaderKey = DiagnosticCode("A101", .warning,
        "a header key attune does not know",
        fix: "Known keys are title, summary, tags, source and caution, in lower case.")
    public static let unreachableCode = DiagnosticCode("A102", .warning,
        "code after `@goto` or `@end` that nothing reaches",
        fix: "Remove it, or add a `@section` above it and jump there.")
    public static let unreachableSection = DiagnosticCode("A103", .warning,
        "a section that nothing reaches",
        fix: "`@goto` or `@call` it from somewhere, or remove it.")
    public static let mayBeUnset = DiagnosticCode("A104", .warning,
        "a variable read on a path where it may be unset",
        fix: "Assign it on every path first, or test it with `@if name` before reading it.")
    public static let labelLooksLikeJump = DiagnosticCode("A105", .warning,
        "a menu option whose label holds `->` with no space before it",
        fix: "To jump, put a space before the arrow: `- Label -> section`; otherwise word the label another way (`to`, `→`).")

    /// Every code, in order.
    public static let all: [DiagnosticCode] = [
        .unknownStatement, .malformedStatement, .unknownBreathPhase, .unquotedPrompt,
        .unterminatedString, .elseWithoutIf, .notAnOption, .missingSeparator, .missingTitle,
        .duplicateHeaderKey, .headerLineWithoutKey, .badDuration, .badRange, .tabIndentation,
        .missingBlock, .unexpectedIndent, .nestingTooDeep, .unmatchedBrace, .unknownSection,
        .duplicateSection, .notAtTopLevel, .recursion, .unassignedRead, .typeMismatch,
        .spinningRepeat, .spinningGoto, .includeMissing, .includeCircular, .invalidUTF8,
        .badName, .badExpression, .conditionAsValue, .valueAsCondition, .duplicateOption,
        .optionJumpAndBlock, .numberTooLarge, .expressionTooDeep, .gotoIncludedSection,
        .proseOnly, .badIndentation, .includedFileErrors, .tooManyLines,
        .unknownHeaderKey, .unreachableCode, .unreachableSection, .mayBeUnset, .labelLooksLikeJump,
    ]

    public static func named(_ id: String) -> DiagnosticCode? {
        let wanted = id.uppercased()
        return all.first { $0.id == wanted }
    }
}
