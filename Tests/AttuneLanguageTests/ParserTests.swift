@testable import AttuneLanguage
import Testing

@Suite("Parsing: trees with ranges")
struct ParserTests {
    static let languageExample = """
        title: Box breathing
        summary: Four equal sides (in, hold, out, hold) to settle an alert body.
        tags: breathing, calming
        source: Balban et al. 2023, Cell Reports Medicine 4(1):100895
        ---
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

    @Test func theLanguageExampleParsesToItsTree() {
        let tree = Parser.parse(SourceFile(path: "box.attune", text: Self.languageExample))
        #expect(tree.diagnostics.isEmpty)
        #expect(tree.dump() == """
            header title 1:8-1:21 "Box breathing"
            header summary 2:10-2:73 "Four equal sides (in, hold, out, hold) to settle an alert body."
            header tags 3:7-3:25 "breathing, calming"
            header source 4:9-4:62 "Balban et al. 2023, Cell Reports Medicine 4(1):100895"
            separator 5:1-5:4
            prose 6:1-6:61 "Find a comfortable seat and let your feet rest on the floor."
            pause 5s 7:1-7:10
            blank 8
            rate before "How activated do you feel right now?" 0..10 9:1-9:58
            blank 10
            repeat for 5m 11:1-11:15
              breathe in 4s hold 4s out 4s hold 4s 12:3-12:40
            blank 13
            rate after "And now?" 0..10 14:1-14:29
            if (after < before) 15:1-15:19
              prose 16:3-16:58 "You moved from {before} to {after}. Notice what helped."
            else 17:1-17:6
              prose 18:3-18:36 "Whatever you feel now is welcome."

            """)
        #expect(tree.printedSource() == Array(Self.languageExample.utf8))
        #expect(Checker.check(text: Self.languageExample).diagnostics.isEmpty)
    }

    @Test func everyStatementParses() {
        #expect(dump("""
            @pause 2s "Arriving"
            @breathe in 2s in 1s out 6s
            @bell
            @ask name "Your name?" multiline
            @write story "Write" for 15m
            @write notes "Notes"
            @rate level "Level" -5..5
            @choose mood "Mood?"
              - Calm
              - Busy -> later
              // a comment among options

              - Other
                Tell me more.
            @set n = 1 + 2 - level
            @repeat 3 times
              @repeat 2
                @bell
            @reflect
              Today I noticed {mood}.
            @section later
            @call later
            @goto later
            @include "more.attune"
            @end
            """) == """
            pause 2s "Arriving" 3:1-3:21
            breathe in 2s in 1s out 6s 4:1-4:28
            bell 5:1-5:6
            ask name "Your name?" multiline 6:1-6:33
            write story "Write" for 15m 7:1-7:29
            write notes "Notes" 8:1-8:21
            rate level "Level" -5..5 9:1-9:26
            choose mood "Mood?" 10:1-10:21
              option "Calm" 11:3-11:9
              option "Busy" -> later 12:3-12:18
              comment 13:3-13:29
              blank 14
              option "Other" 15:3-15:10
                prose 16:5-16:18 "Tell me more."
            set n = ((1 + 2) - level) 17:1-17:23
            repeat 3 18:1-18:16
              repeat 2 19:3-19:12
                bell 20:5-20:10
            reflect 21:1-21:9
              prose 22:3-22:26 "Today I noticed {mood}."
            section later 23:1-23:15
            call later 24:1-24:12
            goto later 25:1-25:12
            include "more.attune" 26:1-26:23
            end 27:1-27:5
            """)
    }

    /// A statement's block is set in place only when no copy shares the statement: a copy
    /// taken before keeps the block it had.
    @Test func aCopyOfAStatementKeepsItsBlock() throws {
        let tree = Parser.parse(SourceFile(path: "t.attune", text: "title: T\n---\n@repeat 2\n  @bell\n"))
        guard case .statement(let original) = try #require(tree.body.first) else {
            Issue.record("expected a statement")
            return
        }
        #expect(original.block?.count == 1)
        var changed = original
        changed.block = []
        #expect(changed.block?.count == 0)
        #expect(original.block?.count == 1, "the copy taken before must not change")
        var alone = changed
        changed = original
        alone.block = nil
        #expect(alone.block == nil)
        #expect(changed.block?.count == 1)
        #expect(alone.kind.isRepeat && original.kind.isRepeat)
    }

    @Test func escapesAndInterpolation() {
        let tree = Parser.parse(SourceFile(path: "t.attune", text: exercise("""
            \\@pause is prose; \\{braces\\} and a \\\\ backslash; {name} and {last.name}.
            @ask name "Say \\"hi\\" {name} \\{x\\}"
            """)))
        guard case .prose(let prose) = tree.body[0], case .statement(let ask) = tree.body[1],
              case .ask(_, let prompt, _) = ask.kind else {
            Issue.record("unexpected tree \(tree.dump())")
            return
        }
        #expect(prose.text.displayText == "@pause is prose; {braces} and a \\ backslash; {name} and {last.name}.")
        #expect(prose.text.variables.map { tree.source.text($0.range) } == ["name", "last.name"])
        #expect(prose.text.variables.map(\.isLast) == [false, true])
        #expect(prompt.displayText == "Say \"hi\" {name} {x}")
    }

    @Test func templatePartsSplitOnlyAtInsertions() {
        // Plain runs, escapes, a stray brace, an unclosed one and a backslash that escapes
        // nothing all stay in one literal between insertions.
        let tree = Parser.parse(SourceFile(path: "t.attune", text: exercise(
            "plain \\{ run {x} two\\\\runs } and { open C:\\dir {last.y}\n@ask a \"{x}\\\" q\"")))
        guard case .prose(let prose) = tree.body[0], case .statement(let ask) = tree.body[1],
              case .ask(_, let prompt, _) = ask.kind else {
            Issue.record("unexpected tree \(tree.dump())")
            return
        }
        func shown(_ template: Template) -> [String] {
            template.parts.map { part in
                switch part {
                case .text(let text): "text(\(text))"
                case .variable(let reference): "var(\(reference.displayName))"
                }
            }
        }
        #expect(shown(prose.text) == ["text(plain { run )", "var(x)", "text( two\\runs } and { open C:\\dir )", "var(last.y)"])
        #expect(shown(prompt) == ["var(x)", "text(\" q)"])
    }

    @Test func templatesFindTheirSpecialBytesAtEveryOffset() {
        // Plain runs are searched eight bytes at a time: a brace, a backslash or a quote must
        // be found wherever it falls in a word, and near the end of the line.
        for offset in 0..<20 {
            let run = String(repeating: "a", count: offset)
            let tree = Parser.parse(SourceFile(path: "t.attune", text: exercise(
                "\(run){x}\(run)\n\(run)\\{\(run)\n@ask q \"\(run){x}\(run)\\\"\(run)\"")))
            guard tree.body.count == 3, case .prose(let first) = tree.body[0], case .prose(let second) = tree.body[1],
                  case .statement(let ask) = tree.body[2], case .ask(_, let prompt, _) = ask.kind else {
                Issue.record("unexpected tree at \(offset): \(tree.dump())")
                continue
            }
            #expect(first.text.variables.map(\.name) == ["x"], "\(offset)")
            #expect(first.text.displayText == "\(run){x}\(run)", "\(offset)")
            #expect(second.text.displayText == "\(run){\(run)", "\(offset)")
            #expect(prompt.displayText == "\(run){x}\(run)\"\(run)", "\(offset)")
            #expect(tree.diagnostics.isEmpty, "\(offset)")
        }
    }

    @Test func paragraphsJoinAcrossCommentsButNotBlankLines() throws {
        let program = try #require(expectClean(exercise("""
            First line
            // a comment does not end a paragraph
            second line.

            New paragraph.
            """)))
        let said = program.instructions.compactMap { instruction -> String? in
            guard case .say(let text) = instruction.op else { return nil }
            return text.parts.map { if case .literal(let s) = $0 { s } else { "?" } }.joined()
        }
        #expect(said == ["First line second line.", "New paragraph."])
    }

    @Test func commentsKeepTheirPlaceAroundBlocks() {
        let text = exercise("""
            @repeat 2
              @bell
              // inside
            // outside
            @bell

            @repeat 2
            // before the first line of a block
              @bell
            """)
        let tree = Parser.parse(SourceFile(path: "t.attune", text: text))
        #expect(tree.diagnostics.isEmpty)
        #expect(tree.printedSource() == Array(text.utf8))
        #expect(dump("""
            @repeat 2
              @bell
              // inside
            // outside
            @bell
            """) == """
            repeat 2 3:1-3:10
              bell 4:3-4:8
              comment 5:3-5:12
            comment 6:1-6:11
            bell 7:1-7:6
            """)
    }

    @Test func anyConsistentIndentationWorks() {
        expectClean(exercise("""
            @repeat 2
                @bell
                @if 1 == 1
                 @bell
            @bell
            """))
    }

    @Test func headerAllowsBlankLinesAndComments() {
        expectClean("""
            // a comment before the title

            title: Quiet
            // between keys
            caution: Stop if you feel dizzy.
            ---
            Hello.
            """)
    }

    @Test func windowsLineEndingsAndAByteOrderMarkRoundTrip() {
        let text = "\u{FEFF}title: X\r\n---\r\nHello.\r\n@pause 1s\r\n"
        let result = Checker.check(text: text)
        #expect(result.diagnostics.isEmpty)
        #expect(result.tree.printedSource() == Array(text.utf8))
    }

    @Test func everyKeywordIsKnownByItsSpellingAlone() {
        func named(_ text: String, _ range: SourceRange? = nil) -> StatementParser.Keyword? {
            let bytes = Array(text.utf8)
            return SourceBytes.with(bytes) { StatementParser.Keyword.named($0, range ?? SourceRange(0, bytes.count)) }
        }
        for keyword in StatementParser.Keyword.allCases {
            let word = keyword.rawValue
            #expect(named(word) == keyword)
            // One letter more, one less, or a capital: not a keyword.
            #expect(named(word + "s") == nil, "\(keyword)s")
            #expect(named(word, SourceRange(0, word.utf8.count - 1)) == nil)
            #expect(named(word.capitalized) == nil)
        }
        #expect(named("breathing") == nil)
        #expect(named("") == nil)
    }

    @Test func aStatementIsAValue() {
        let tree = Parser.parse(SourceFile(path: "t", text: exercise("@repeat 2\n  @bell")))
        guard case .statement(let original)? = tree.body.first else {
            Issue.record("no statement")
            return
        }
        var copy = original
        copy.block = nil
        copy.kind = .end
        copy.line.number = 99
        // The tree's statement is untouched by changes to a copy.
        guard case .statement(let again)? = tree.body.first, case .repeatCount(2, _, _) = again.kind else {
            Issue.record("the tree changed")
            return
        }
        #expect(again.block?.count == 1)
        #expect(again.line.number == original.line.number && original.line.number != 99)
        #expect(copy.block == nil && copy.keyword == "end")
    }

    @Test func breathPhasesAreKnownByTheirWords() {
        func named(_ text: String) -> BreathPhaseKind? {
            let bytes = Array(text.utf8)
            return SourceBytes.with(bytes) { BreathPhaseKind.named($0, SourceRange(0, bytes.count)) }
        }
        for kind in BreathPhaseKind.allCases { #expect(named(kind.rawValue) == kind) }
        for word in ["inhale", "In", "ou", "holds", ""] { #expect(named(word) == nil, "\(word)") }
    }

    @Test func durationsInCanonicalForm() {
        let cases: [(String, String)] = [
            ("500ms", "500ms"), ("4s", "4s"), ("2.5s", "2.5s"), ("1m30s", "1m30s"), ("90s", "1m30s"),
            ("5m", "5m"), ("1h", "1h"), ("24h", "24h"), ("1h0m1s", "1h1s"), ("0.5ms", "0.5ms"),
            ("1500ms", "1.5s"), ("1.25ms", "1.25ms"),
        ]
        for (written, canonical) in cases {
            let tree = Parser.parse(SourceFile(path: "t", text: exercise("@pause \(written)")))
            guard case .statement(let statement)? = tree.body.first, case .pause(let duration, _) = statement.kind else {
                Issue.record("\(written) did not parse: \(tree.diagnostics)")
                continue
            }
            #expect(duration.value.description == canonical, "\(written)")
        }
    }

    @Test func expressionsGroupByPrecedence() {
        let cases: [(String, String)] = [
            ("a + 1 < b - 2 and not c or d", "((((a + 1) < (b - 2)) and (not c)) or d)"),
            ("not a == 1", "(not (a == 1))"),
            ("-a + -(3 - b) > 0", "(((-a) + (-(3 - b))) > 0)"),
            ("x and y and z", "((x and y) and z)"),
            ("(a or b) and c", "((a or b) and c)"),
            ("last.mood == \"calm\"", "(last.mood == \"calm\")"),
            ("note != \"a \\\"quoted\\\" {brace}\"", "(note != \"a \\\"quoted\\\" {brace}\")"),
        ]
        for (source, grouped) in cases {
            let tree = Parser.parse(SourceFile(path: "t", text: exercise("@if \(source)\n  @bell")))
            guard case .statement(let statement)? = tree.body.first, case .if(let condition) = statement.kind else {
                Issue.record("`\(source)` did not parse: \(tree.diagnostics)")
                continue
            }
            #expect(ExpressionPrinter.print(condition) == grouped)
        }
    }
}

private extension Statement.Kind {
    var isRepeat: Bool { if case .repeatCount = self { true } else { false } }
}
