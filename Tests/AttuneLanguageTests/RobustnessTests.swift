@testable import AttuneLanguage
import Testing

/// Any bytes end in diagnostics: never a crash, a hang, a trap or a stack overflow. The
/// inputs here stay at a few megabytes so debug runs stay quick; `Scripts/bench-check`
/// takes a 50 MB file and 10,000 nested blocks through the release binary, and
/// `Scripts/fuzz` takes random ones.
@Suite("Robustness: any bytes end in diagnostics")
struct RobustnessTests {
    /// Checks bytes and returns the result, after making sure the tree prints them back.
    @discardableResult
    func check(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> CheckResult {
        let result = Checker.check(SourceFile(path: "big.attune", bytes: bytes))
        #expect(result.tree.printedSource() == bytes, "the tree must print back byte for byte",
                sourceLocation: sourceLocation)
        #expect(result.diagnostics.count <= Checker.maximumDiagnostics, sourceLocation: sourceLocation)
        return result
    }

    func check(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> CheckResult {
        check(Array(text.utf8), sourceLocation: sourceLocation)
    }

    func codes(_ result: CheckResult) -> [DiagnosticCode] { result.diagnostics.map(\.code) }

    // MARK: Bytes that are not UTF-8

    @Test(arguments: [
        [0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xE2, 0x82], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC3],
    ] as [[UInt8]])
    func invalidUTF8IsReportedAtItsLine(_ bad: [UInt8]) {
        // In the header, the body, a prompt, at the very end.
        let file = Array("title: T\n---\nHello.\n@ask a \"x".utf8) + bad + Array("\"\nSaid ".utf8) + bad
            + Array(" here.\n@pause 1s\n".utf8)
        let result = check(file)
        #expect(codes(result) == [.invalidUTF8, .invalidUTF8])
        #expect(result.diagnostics.map { result.tree.source.location(of: $0.range.start).line } == [4, 5])
        let end = check(Array("title: T\n---\nEnd".utf8) + bad)
        #expect(codes(end) == [.invalidUTF8])
    }

    @Test func anUnreadableHeaderLineIsOneError() {
        let result = check(Array("title: ".utf8) + [0xFF] + Array("\n---\nHello.\n".utf8))
        #expect(codes(result) == [.invalidUTF8])
    }

    // MARK: Empty and tiny files

    @Test(arguments: ["", "\n", "\r\n", "\u{FEFF}", "---", "---\n", "\r", "\t", " ", "@", "{", "-", "title:", ":"])
    func tinyFiles(_ text: String) {
        let result = check(text)
        #expect(result.hasErrors)
    }

    @Test func anEmptyFileSaysWhatIsMissing() {
        #expect(codes(check("")) == [.missingSeparator, .missingTitle])
        #expect(codes(check("title: Nothing\n---\n")).isEmpty)
    }

    // MARK: Enormous lines

    @Test func enormousLines() {
        let megabyte = 1 << 20
        #expect(codes(check(exercise(String(repeating: "breathe ", count: megabyte / 8)))).isEmpty)
        #expect(codes(check(exercise("@set x = " + Array(repeating: "1", count: megabyte / 2).joined(separator: "+"))))
            == [.expressionTooDeep])
        #expect(codes(check(exercise(String(repeating: "{", count: megabyte)))).count == TemplateParser.maximumPerLine)
        #expect(codes(check(exercise("@" + String(repeating: "a", count: megabyte)))) == [.unknownStatement])
        #expect(codes(check(exercise("@goto " + String(repeating: "a", count: megabyte)))) == [.unknownSection])
        #expect(codes(check(exercise("@ask a \"" + String(repeating: "\\\"", count: megabyte / 2)))) == [.unterminatedString])
        #expect(codes(check(exercise("@breathe " + String(repeating: "in 1s ", count: megabyte / 6)))).isEmpty)
        let options = "@choose c \"Pick\"\n  - " + String(repeating: "a -> ", count: megabyte / 5) + "b\n@section b\n@pause 1s"
        #expect(codes(check(exercise(options))).isEmpty)
    }

    @Test func aLongMessageQuotesOnlyTheStartOfAName() throws {
        let result = check(exercise("@goto " + String(repeating: "a", count: 100_000)))
        let message = try #require(result.diagnostics.first?.message)
        #expect(message == "there is no section `" + String(repeating: "a", count: 40) + "…`")
    }

    // MARK: Deep nesting

    @Test func twoThousandNestedBlocks() throws {
        // 10,000 levels take 50 MB of indentation: `Scripts/bench-check` runs that one.
        let depth = 2_000
        var text = exercise("")
        for level in 0..<depth { text += String(repeating: " ", count: level) + "@repeat 1\n" }
        text += String(repeating: " ", count: depth) + "@pause 1s\n"
        let result = check(text)
        #expect(codes(result) == [.nestingTooDeep])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.tree.source.location(of: diagnostic.range.start) == SourceLocation(line: 68, column: 66))
    }

    @Test func tenThousandNestedParentheses() {
        let deep = 10_000
        let open = String(repeating: "(", count: deep)
        let close = String(repeating: ")", count: deep)
        #expect(codes(check(exercise("@set x = \(open)1\(close)"))) == [.expressionTooDeep])
        #expect(codes(check(exercise("@set x = 1\n@if \(open)x == 1\(close)\n  Hi."))) == [.expressionTooDeep])
        #expect(codes(check(exercise("@set x = 1\n@if " + String(repeating: "not ", count: deep) + "x\n  Hi.")))
            == [.expressionTooDeep])
        #expect(codes(check(exercise("@set x = " + String(repeating: "- ", count: deep) + "1"))) == [.expressionTooDeep])
        #expect(codes(check(exercise("@set x = " + String(repeating: "-", count: deep) + "1"))) == [.expressionTooDeep])
        #expect(codes(check(exercise("@set x = \(open)"))) == [.expressionTooDeep])
        #expect(codes(check(exercise("@set x = 1\(close)"))) == [.badExpression])
    }

    @Test func sixtyFourParenthesesAreFine() {
        let open = String(repeating: "(", count: 63)
        let close = String(repeating: ")", count: 63)
        #expect(codes(check(exercise("@set x = \(open)1\(close)"))).isEmpty)
    }

    // MARK: Numbers

    @Test func numbersTooLargeFor64Bits() {
        let huge = "99999999999999999999999999999999"
        #expect(codes(check(exercise("@set x = \(huge)"))) == [.numberTooLarge])
        #expect(codes(check(exercise("@set x = -\(huge)"))) == [.numberTooLarge])
        #expect(codes(check(exercise("@set x = 9223372036854775808"))) == [.numberTooLarge])
        #expect(codes(check(exercise("@set x = 9223372036854775807"))).isEmpty)
        #expect(codes(check(exercise("@rate r \"p\" -\(huge)..1"))) == [.numberTooLarge])
        #expect(codes(check(exercise("@rate r \"p\" -9223372036854775809..1"))) == [.numberTooLarge])
        #expect(codes(check(exercise("@repeat \(huge)\n  @bell"))) == [.numberTooLarge])
        #expect(codes(check(exercise("@pause \(huge)h"))) == [.badDuration])
        #expect(codes(check(exercise("@pause 1.\(huge)\(huge)s"))).isEmpty)
        #expect(codes(check(exercise("@pause \(huge)ms"))) == [.badDuration])
    }

    // MARK: Large files

    @Test func aLargeFileOfEveryStatement() {
        var text = exercise("")
        let block = """
            // a comment
            @ask name "What name shall I use?"
            Find a comfortable seat, {name}.
            @pause 2s "Settling"
            @breathe in 4s hold 4s out 6s
            @bell
            @write notes "Anything to write?" for 1m
            @rate level "How tense, 0 to 10?" 0..10
            @choose mood "Which fits?"
              - Calm
              - Busy
                @set level = level + 1
            @if level > 5 and mood == "Busy"
              @set note = "tense"
            @elif not name
              Welcome.
            @else
              @repeat 2 times
                @breathe in 2s out 4s
            @repeat for 1m
              @pause 5s

            """
        while text.utf8.count < 1 << 20 { text += block }
        let result = check(text + "@reflect\n  Done for now.\n@end\n")
        #expect(codes(result).isEmpty)
        #expect(result.program != nil)
    }

    @Test func manyBadLinesGiveAThousandDiagnostics() {
        let result = check(exercise(String(repeating: "}\n", count: 50_000)))
        #expect(result.diagnostics.count == Checker.maximumDiagnostics)
        #expect(result.diagnostics.allSatisfy { $0.code == .unmatchedBrace })
    }

    @Test func theLineLimit() throws {
        // Exactly the limit is read; one line more is reported at that line, and the rest
        // is kept unread so the tree still prints the file back.
        let full = exercise(String(repeating: "\n", count: Parser.maximumLines - 3) + "Hello.\n")
        #expect(codes(check(full)).isEmpty)
        let over = check(full + "@pause 1s\n@goto nowhere\n")
        #expect(codes(over) == [.tooManyLines])
        let diagnostic = try #require(over.diagnostics.first)
        #expect(over.tree.source.location(of: diagnostic.range.start).line == Parser.maximumLines + 1)
        #expect(diagnostic.message == "this file has more than 2,000,000 lines; attune reads exercises up to that length")
    }

    @Test func theSizeLimit() throws {
        // Offsets are kept in 32 bits, so a file past the limit (1 GiB; here a small one,
        // to keep the test light) is not read at all: one error at its start, no trap.
        let text = exercise("Hello.\n")
        let fits = Parser.parse(SourceFile(path: "a.attune", text: text), maximumBytes: text.utf8.count)
        #expect(fits.diagnostics.isEmpty)
        #expect(fits.printedSource() == Array(text.utf8))
        let over = Parser.parse(SourceFile(path: "a.attune", text: text), maximumBytes: text.utf8.count - 1)
        #expect(over.diagnostics.map(\.code) == [.tooManyLines])
        #expect(over.body.isEmpty)
        let diagnostic = try #require(over.diagnostics.first)
        #expect(diagnostic.range == SourceRange(0, 0))
        #expect(diagnostic.message.hasPrefix("this file is larger than \(text.utf8.count - 1) bytes;"))
        #expect(Parser.maximumBytes <= Int(UInt32.max))
    }

    @Test func longChainsOfSections() {
        let count = 2_000
        var calls = exercise("@call s0\n@end\n")
        for number in 0..<count { calls += "@section s\(number)\n@pause 1s\n@call s\(number + 1)\n" }
        calls += "@section s\(count)\n@pause 1s\n"
        #expect(codes(check(calls)).isEmpty)
        var gotos = exercise("")
        for number in 0..<count { gotos += "@section s\(number)\nHello.\n@goto s\(number + 1)\n" }
        gotos += "@section s\(count)\n@goto s0\n"
        #expect(codes(check(gotos)) == [.spinningGoto])
        var unknown = exercise("")
        for number in 0..<count { unknown += "@section sec\(number)\n@pause 1s\n@goto nope\(number)\n" }
        #expect(Set(codes(check(unknown))) == [.unknownSection, .unreachableSection])
    }

    @Test func manyVariables() {
        // Beyond one window of the flow analysis (256 variables), reads are still checked.
        let count = 1_000
        var text = exercise("@rate r \"How much?\" 0..10\n")
        for number in 0..<count { text += "@set v\(number) = \(number)\n" }
        text += "@if r > 5\n  @set late = 1\n"
        for number in stride(from: 0, to: count, by: 7) { text += "{v\(number)}\n\n" }
        text += "Late: {late}.\n"
        let result = check(text)
        #expect(codes(result) == [.mayBeUnset])
        #expect(result.diagnostics.first?.message.hasPrefix("`late` may be unset") == true)
    }

    // MARK: Random bytes

    /// A deterministic generator (SplitMix64), so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static let fragments: [String] = [
        "title: T\n", "---\n", "\n", "  ", "    ", "\t", "// c\n", "@pause 1s", "@breathe in 4s out 4s", "@bell",
        "@ask a \"A {b}?\"", "@write w \"W\" for 1m", "@rate r \"R\" 0..10", "@choose c \"C\"", "- One", "- Two -> s",
        "@if a == \"x\"", "@elif r > 3", "@else", "@set a = r + 1", "@repeat 3", "@repeat for 1m", "@section s",
        "@goto s", "@call s", "@reflect", "@include \"x.attune\"", "@end", "Prose {a} \\{", "{last.a}", "}", "{",
        "(", ")", "\"", "not ", " and ", "-", "99999999999999999999", "\u{FEFF}", "é", "👋", "\r\n", "\r", "\0", "@",
        "->", "..", ".5s", "1s1m",
    ]

    @Test func randomFilesNeverTrapAndAlwaysRoundTrip() {
        var random = Random(state: 2024)
        for _ in 0..<1_500 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(60) {
                if random.below(8) == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: random.next()))
                } else {
                    bytes += Array(Self.fragments[random.below(Self.fragments.count)].utf8)
                    if random.below(3) == 0 { bytes.append(0x0A) }
                }
            }
            let result = Checker.check(SourceFile(path: "r.attune", bytes: bytes))
            if result.tree.printedSource() != bytes {
                Issue.record("no round trip for \(bytes)")
                return
            }
            // Rendering every diagnostic works too.
            let renderer = DiagnosticRenderer(colored: true)
            for diagnostic in result.diagnostics { _ = renderer.render(diagnostic, source: result.tree.source) }
            _ = DiagnosticJSON.render(result.diagnostics, sources: result.sources)
        }
    }
}

/// Lowering's table of names: every name found again, and no slow path for names that share a hash.
@Suite("Name table")
struct NameTableTests {
    @Test func findsEveryNameItWasGiven() {
        var table = NameTable()
        let names = (0..<5000).map { "name-\($0)" } + ["", "a", "A", "é", "emoji-🌿", String(repeating: "long", count: 20)]
        for (number, name) in names.enumerated() { table[name] = number }
        for (number, name) in names.enumerated() { #expect(table[name] == number, "\(name)") }
        #expect(table["name-5000"] == nil)
        #expect(table["Name-1"] == nil, "names are told apart by case")
        #expect(table.names == names, "names keep the order they were added in")
        table["a"] = 7
        #expect(table["a"] == 7)
        #expect(table.names.count == names.count, "changing a number adds no name")
        #expect(!table.usesFallback)
    }

    /// Names chosen to land on one place: past the probing limit the table moves to a
    /// Dictionary, so no file can make lookups slow, and still finds everything.
    @Test func namesThatShareAPlaceMoveToADictionary() {
        var colliding: [String] = []
        var candidate = 0
        while colliding.count < 3 * NameTable.maximumProbes {
            let name = "n\(candidate)"
            if NameTable.hash(name) & 127 == 0 { colliding.append(name) }
            candidate += 1
        }
        var table = NameTable()
        for (number, name) in colliding.enumerated() { table[name] = number }
        #expect(table.usesFallback)
        for (number, name) in colliding.enumerated() { #expect(table[name] == number, "\(name)") }
        #expect(table["n-absent"] == nil)
        table[colliding[0]] = 99
        table["one more"] = 100
        #expect(table[colliding[0]] == 99)
        #expect(table["one more"] == 100)
        #expect(table.names == colliding + ["one more"])
    }
}

/// Lowering's values for a few instructions: found again whatever order they were added in.
@Suite("Instruction map")
struct InstructionMapTests {
    @Test func findsWhatWasAddedInAnyOrder() {
        var map = InstructionMap<String>()
        for instruction in stride(from: 0, to: 100, by: 3) { map[instruction] = "v\(instruction)" }
        map[50] = "fifty"  // out of order, between others
        map[1] = "one"
        map[3] = "three"   // replaces
        for instruction in 0..<100 {
            let expected: String? = switch instruction {
            case 50: "fifty"
            case 1: "one"
            case 3: "three"
            default: instruction % 3 == 0 ? "v\(instruction)" : nil
            }
            #expect(map[instruction] == expected, "\(instruction)")
        }
        map[6] = nil
        #expect(map[6] == nil)
        #expect(map[9] == "v9")
        #expect(map[-1] == nil)
        #expect(map[1000] == nil)
    }
}
