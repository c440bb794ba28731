@testable import AttuneLanguage
import Foundation
import Testing

/// How diagnostics look: the compiler-style text, the caret by display width, and JSON.
@Suite("Rendering diagnostics")
struct RenderingTests {
    /// Checks `text` and renders every diagnostic (in order of position), uncoloured.
    func rendered(_ text: String, path: String = "calm.attune", colored: Bool = false) -> String {
        let result = Checker.check(text: text, path: path)
        let renderer = DiagnosticRenderer(colored: colored)
        return result.diagnostics.sortedByPosition().map { renderer.render($0, source: result.sources[$0.path]) }
            .joined()
    }

    @Test func anErrorWithItsLineAndCaret() {
        #expect(rendered(exercise("Breathe.\n@goto nowhere")) == """
            calm.attune:4:7: error[A019]: there is no section `nowhere`
            4 | @goto nowhere
              |       ^~~~~~~

            """)
    }

    @Test func controlCharactersQuotedFromTheFileNeverReachTheTerminal() {
        let text = rendered(exercise("@pa\u{1B}[31muse 5s"))
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("`@pa\u{FFFD}[31muse` is not a statement"))
    }

    @Test func aWarning() {
        #expect(rendered("title: Calm\nmood: soft\n---\nHi.\n") == """
            calm.attune:2:1: warning[A101]: unknown header key `mood`; known keys are title, summary, tags, source and caution
            2 | mood: soft
              | ^~~~

            """)
    }

    @Test func notesPointAtTheRelatedPlace() {
        #expect(rendered(exercise("@section a\n@pause 1s\n@section a\n@pause 1s")) == """
            calm.attune:5:10: error[A020]: the section `a` is defined twice
            5 | @section a
              |          ^
            calm.attune:3:10: note: first defined here
            3 | @section a
              |          ^

            """)
    }

    @Test func theGutterWidensWithTheLineNumber() {
        let text = exercise(String(repeating: "Hi.\n", count: 120) + "@goto x")
        #expect(rendered(text).hasSuffix("""
            123 | @goto x
                |       ^

            """))
    }

    /// The caret sits under the marked character whatever comes before it on the line.
    @Test(arguments: [
        ("Café {1️⃣nobody}", 7, "      "),                       // precomposed é: one character, one cell
        ("Cafe\u{301} {1️⃣nobody}", 7, "      "),                 // e + combining acute: one character, one cell
        ("👋 {1️⃣nobody}", 4, "    "),                            // an emoji: one character, two cells
        ("👨‍👩‍👧 and 👍🏽 {1️⃣nobody}", 10, "           "),         // a family (ZWJ) and a skin tone: two cells each
        ("静かに {1️⃣nobody}", 6, "        "),                     // CJK: two cells each
        ("❤️ ☺ {1️⃣nobody}", 6, "      "),                        // VS16 asks for two cells; plain ☺ takes one
        ("Ａｂ한 {1️⃣nobody}", 6, "        "),                     // full-width letters and Hangul: two cells
    ])
    func caretByDisplayWidth(_ line: String, column: Int, padding: String) {
        let marked = MarkedText(exercise(line))
        let result = Checker.check(SourceFile(path: "w.attune", bytes: marked.bytes))
        guard let diagnostic = result.diagnostics.first, result.diagnostics.count == 1 else {
            Issue.record("expected one diagnostic, got \(result.diagnostics)")
            return
        }
        #expect(diagnostic.range.start == marked.markers["1"])
        let lines = DiagnosticRenderer().render(diagnostic, source: result.sources["w.attune"])
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("w.attune:3:\(column): error[A023]"))
        #expect(lines[1] == "3 | \(marked.text.split(separator: "\n")[2])")
        #expect(lines[2] == "  | \(padding)^~~~~~")
    }

    @Test func tabsAndControlCharactersTakeOneCell() {
        // A tab shows as a space; a control character as U+FFFD; both keep the caret in line.
        let text = exercise("Tab\there \u{7}bell {nobody}")
        let out = rendered(text)
        #expect(out == """
            calm.attune:3:17: error[A023]: `nobody` is never assigned; check the name, or assign it first
            3 | Tab here \u{FFFD}bell {nobody}
              |                 ^~~~~~

            """)
    }

    @Test func aByteOrderMarkIsNotAColumn() {
        #expect(rendered("\u{FEFF}title: A\nmood: x\n---\n").hasPrefix("calm.attune:2:1: warning[A101]"))
        #expect(rendered("\u{FEFF}Title: A\n---\n").hasPrefix("calm.attune:1:1: warning[A101]"))
    }

    @Test func invalidUTF8IsShownAndPointedAt() {
        let bytes = Array("title: A\n---\nCaf".utf8) + [0xE9] + Array(" {x}\n".utf8)
        let result = Checker.check(SourceFile(path: "bad.attune", bytes: bytes))
        #expect(result.diagnostics.map(\.code) == [.invalidUTF8])
        #expect(DiagnosticRenderer().render(result.diagnostics[0], source: result.sources["bad.attune"]) == """
            bad.attune:3:4: error[A029]: this line is not valid UTF-8; save the file as UTF-8
            3 | Caf\u{FFFD} {x}
              |    ^

            """)
    }

    @Test func theEndOfTheFile() {
        // A missing `---` in a file that ends with a line break points after the last text.
        #expect(rendered("title: Calm\n") == """
            calm.attune:1:12: error[A008]: the header must end with a line `---` before the exercise starts
            1 | title: Calm
              |            ^

            """)
        #expect(rendered("").hasPrefix("calm.attune:1:1: error[A008]"))
    }

    @Test func longLinesAreCutAroundTheCaret() {
        let text = exercise(String(repeating: "a", count: 500) + " {nobody} " + String(repeating: "b", count: 500))
        let lines = rendered(text).split(separator: "\n")
        #expect(lines[0] == "calm.attune:3:503: error[A023]: `nobody` is never assigned; check the name, or assign it first")
        #expect(lines[1].hasPrefix("3 | …aaa"))
        #expect(lines[1].hasSuffix("bbb…"))
        #expect(lines[1].count <= 4 + 2 + 100)
        let caret = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) }
        let brace = lines[1].firstIndex(of: "{").map { lines[1].distance(from: lines[1].startIndex, to: $0) }
        #expect(caret == brace.map { $0 + 1 })
    }

    @Test func colourOnlyWhenAsked() {
        let text = exercise("@goto nowhere")
        #expect(!rendered(text).contains("\u{1B}"))
        let coloured = rendered(text, colored: true)
        #expect(coloured.contains("\u{1B}[1;31merror[A019]\u{1B}[0m"))
        // Without the escape codes it is the same text.
        let stripped = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == rendered(text))
    }

    @Test func theSummaryLine() {
        #expect(DiagnosticRenderer.summary(files: 3, errors: 1, warnings: 2) == "3 files, 1 error, 2 warnings")
        #expect(DiagnosticRenderer.summary(files: 1, errors: 0, warnings: 1) == "1 file, 0 errors, 1 warning")
    }

    // MARK: JSON

    @Test func jsonHasTheStableFields() throws {
        let result = Checker.check(text: "title: Calm\nmood: x\n---\n\"Quoted\" \\ and\ttab {nobody}\n", path: "dir/calm.attune")
        let json = DiagnosticJSON.render(result.diagnostics.sortedByPosition(), sources: result.sources)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        let first = array[0]
        #expect(first["file"] as? String == "dir/calm.attune")
        #expect(first["line"] as? Int == 2)
        #expect(first["column"] as? Int == 1)
        #expect(first["severity"] as? String == "warning")
        #expect(first["code"] as? String == "A101")
        #expect((first["message"] as? String)?.hasPrefix("unknown header key `mood`") == true)
        let second = array[1]
        #expect(second["line"] as? Int == 4)
        #expect(second["column"] as? Int == 21)
        #expect(second["severity"] as? String == "error")
        #expect(second["code"] as? String == "A023")
        for object in array {
            #expect(Set(object.keys).isSuperset(of: ["file", "line", "column", "severity", "code", "message"]))
        }
    }

    @Test func jsonOfNothingIsAnEmptyArray() {
        #expect(DiagnosticJSON.render([], sources: [:]) == "[]\n")
    }

    @Test func jsonEscapesEverythingItMust() throws {
        #expect(DiagnosticJSON.quote("a\"b\\c\nd\re\tf\u{1}g\u{7F}é😀") == "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fé😀\"")
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(DiagnosticJSON.quote("x\u{0}\u{1F}y"))]".utf8))
        #expect((decoded as? [String])?.first == "x\u{0}\u{1F}y")
    }
}
