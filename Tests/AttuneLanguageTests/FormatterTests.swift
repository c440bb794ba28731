@testable import AttuneLanguage
import Testing

@Suite("Formatter")
struct FormatterTests {
    static let messy = """
        source: somewhere
        // the title
        title:   Messy
        ---


        Hello there.
        This is prose,   kept   as written.



        @pause   90s    "A caption, \\"quoted\\""
        @repeat 2 times
              @breathe in 4s   hold 4000ms out 1500ms
              // inner comment


        @set x = 1+2-  ( -3 )
        @if x>1 and not ( x == 2 )
            Yes.
        @elif x==1
            @choose c   "Pick"
                - One   ->   later
                - Two
                   Two it is.
        @else
            No.
        @write w "Go" for 90000ms
        @section later
        @end

        """

    static let tidy = """
        // the title
        title: Messy
        source: somewhere
        ---
        Hello there.
        This is prose,   kept   as written.

        @pause 1m30s "A caption, \\"quoted\\""
        @repeat 2 times
          @breathe in 4s hold 4s out 1.5s
          // inner comment

        @set x = 1 + 2 - (-3)
        @if x > 1 and not (x == 2)
          Yes.
        @elif x == 1
          @choose c "Pick"
            - One -> later
            - Two
              Two it is.
        @else
          No.
        @write w "Go" for 1m30s
        @section later
        @end

        """

    @Test func writesTheCanonicalLayout() {
        let tree = Parser.parse(SourceFile(path: "messy.attune", text: Self.messy))
        #expect(tree.diagnostics.isEmpty)
        #expect(Formatter.format(tree) == Self.tidy)
    }

    @Test func isIdempotent() {
        let once = Formatter.format(Parser.parse(SourceFile(path: "a", text: Self.messy)))
        let twice = Formatter.format(Parser.parse(SourceFile(path: "a", text: once)))
        #expect(once == twice)
    }

    @Test func theFormattedFileIsTheSameProgram() throws {
        let before = try #require(Checker.check(text: Self.messy).program)
        let after = try #require(Checker.check(text: Self.tidy).program)
        #expect(fingerprint(before) == fingerprint(after))
    }

    @Test func headerKeysGoInTheirOrderAndUnknownKeysFollow() {
        let text = "tags: a, b\nmood: calm\ncaution: Careful.\ntitle: T\nsummary: S\nsource: X\n---\nHi.\n"
        let tree = Parser.parse(SourceFile(path: "a", text: text))
        #expect(Formatter.format(tree)
            == "title: T\nsummary: S\ntags: a, b\nsource: X\ncaution: Careful.\nmood: calm\n---\nHi.\n")
    }

    @Test func noBlankLineStaysAtTheStartOfABlock() throws {
        let text = "title: T\n---\n@repeat 2\n\n  @pause 1s\n\n  @bell\n@choose c \"x\"\n\n  - A\n\n    @pause 1s\n  - B\n"
        let formatted = Formatter.format(Parser.parse(SourceFile(path: "a", text: text)))
        #expect(formatted == "title: T\n---\n@repeat 2\n  @pause 1s\n\n  @bell\n@choose c \"x\"\n  - A\n    @pause 1s\n  - B\n")
        let before = try #require(Checker.check(text: text).program)
        let after = try #require(Checker.check(text: formatted).program)
        #expect(fingerprint(before) == fingerprint(after))
    }

    @Test func lineEndingsBecomeNewlinesAndTheFileEndsWithOne() {
        let tree = Parser.parse(SourceFile(path: "a", text: "title: T\r\n---\r\nHi.\r\n@bell"))
        #expect(Formatter.format(tree) == "title: T\n---\nHi.\n@bell\n")
    }
}

/// A program's instructions without source positions, to compare two layouts of one exercise.
func fingerprint(_ program: Program) -> String {
    var out = "\(program.title)|\(program.variables.map(\.name))|\(program.sections.map(\.name))\n"
    for instruction in program.instructions {
        // Ranges move when the layout changes; blank them out (their fields print with
        // parentheses of their own).
        let text = "\(instruction.op)".replacing(#/range: AttuneLanguage\.SourceRange\((?:[^()]|\([^()]*\))*\)/#, with: "range")
        out += text + "\n"
    }
    return out
}
