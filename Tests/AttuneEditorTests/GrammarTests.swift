import Foundation
import Testing

@Suite("The TextMate grammar (Scripts/editor/attune.tmLanguage.json)")
struct GrammarTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/editor/attune.tmLanguage.json")

    static func load() throws -> Grammar {
        try Grammar(json: Data(contentsOf: path))
    }

    static let sample = #"""
        // A sample that touches every rule.
        title: Evening wind-down
        author: Sam
        This line is not a header line.
        ---
        Hello {name}, and welcome back \{really\} \@home.
        @pause 1m30s "Arriving in {place}, \"slowly\""
        @breathe in 4s hold 500ms out 6s
        @rate before "How awake?" -5..10
        @ask name "Your name?" multiline
        @write story "Write." for 5m
        @choose next "What now?"
          - A few breaths
          - Write more -> writing
        @set total = (before + 2) - last.before
        @if total >= 3 and not name == "{x}"
          Unmatched { brace.
        @else
        @repeat 4 times
        @repeat for 2m
        @section writing
        @goto writing
        @call closing-words
        @include "parts.attune"
        @reflect
        @end
        @breath in 4s
        - just prose that looks like an option
        """#

    /// The innermost scope of the first byte of `text` on 1-based line `line`.
    static func scope(_ tokens: [[Grammar.Token]], line: Int, _ text: String) -> String? {
        var offset = 0
        let whole = tokens[line - 1].map(\.text).joined()
        guard let found = whole.range(of: text) else { return "no `\(text)` on line \(line): \(whole)" }
        let target = whole.utf8.distance(from: whole.startIndex, to: found.lowerBound)
        for token in tokens[line - 1] {
            let length = token.text.utf8.count
            if target < offset + length { return token.scopes.last }
            offset += length
        }
        return nil
    }

    @Test func itIsWellFormed() throws {
        let data = try Data(contentsOf: Self.path)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root["scopeName"] as? String == "source.attune")
        #expect(root["fileTypes"] as? [String] == ["attune"])
        #expect(root["name"] as? String == "attune")
    }

    @Test func everyPatternCompilesWithOniguruma() throws {
        let grammar = try Self.load() // throws, naming the pattern, if one does not compile
        #expect(grammar.patterns.count >= 40)
        // And Oniguruma really is checking: a broken pattern is refused.
        #expect(throws: GrammarRegex.CompileError.self) { try GrammarRegex("(unclosed") }
        #expect(throws: GrammarRegex.CompileError.self) { try GrammarRegex("[unclosed") }
    }

    @Test func theSampleGetsTheRightScopes() throws {
        let tokens = try Self.load().tokenize(Self.sample)
        let expectations: [(Int, String, String)] = [
            (1, "//", "punctuation.definition.comment.attune"),
            (1, "A sample", "comment.line.double-slash.attune"),
            (2, "title", "entity.name.tag.header-key.attune"),
            (2, ":", "punctuation.separator.key-value.attune"),
            (2, "Evening", "string.unquoted.header-value.attune"),
            (3, "author", "entity.name.tag.header-key.unknown.attune"),
            (4, "This line", "invalid.illegal.header-line.attune"),
            (5, "---", "punctuation.separator.header.attune"),
            (6, "Hello", "meta.paragraph.prose.attune"),
            (6, "{", "punctuation.section.interpolation.begin.attune"),
            (6, "name", "variable.other.attune"),
            (6, "}, and", "punctuation.section.interpolation.end.attune"),
            (6, "\\{", "constant.character.escape.attune"),
            (6, "\\@", "constant.character.escape.attune"),
            (7, "@", "punctuation.definition.keyword.attune"),
            (7, "pause", "keyword.other.pause.attune"),
            (7, "1m30s", "constant.numeric.duration.attune"),
            (7, "\"Arriving", "punctuation.definition.string.begin.attune"),
            (7, "Arriving", "string.quoted.double.attune"),
            (7, "place", "variable.other.attune"),
            (7, "\\\"", "constant.character.escape.attune"),
            (8, "breathe", "keyword.other.breathe.attune"),
            (8, "in", "constant.language.breath-phase.attune"),
            (8, "hold", "constant.language.breath-phase.attune"),
            (8, "500ms", "constant.numeric.duration.attune"),
            (9, "before", "variable.other.assignment.attune"),
            (9, "-5", "constant.numeric.integer.attune"),
            (9, "..", "keyword.operator.range.attune"),
            (10, "multiline", "keyword.other.multiline.attune"),
            (11, "for", "keyword.other.for.attune"),
            (11, "5m", "constant.numeric.duration.attune"),
            (12, "choose", "keyword.control.choose.attune"),
            (12, "next", "variable.other.assignment.attune"),
            (13, "-", "punctuation.definition.option.attune"),
            (13, "A few breaths", "string.unquoted.option-label.attune"),
            (14, "Write more", "string.unquoted.option-label.attune"),
            (14, "->", "keyword.operator.jump.attune"),
            (14, "writing", "entity.name.section.reference.attune"),
            (15, "set", "keyword.other.set.attune"),
            (15, "total", "variable.other.assignment.attune"),
            (15, "=", "keyword.operator.assignment.attune"),
            (15, "(", "punctuation.section.parens.attune"),
            (15, "+", "keyword.operator.arithmetic.attune"),
            (15, "2", "constant.numeric.integer.attune"),
            (15, "last", "variable.language.last.attune"),
            (15, "before", "variable.other.attune"),
            (16, "if", "keyword.control.conditional.attune"),
            (16, ">=", "keyword.operator.comparison.attune"),
            (16, "and", "keyword.operator.logical.attune"),
            (16, "not", "keyword.operator.logical.attune"),
            (16, "{x}", "string.quoted.double.attune"), // braces in a text value are plain characters
            (17, "Unmatched", "meta.paragraph.prose.attune"),
            (17, "{ brace", "invalid.illegal.unmatched-brace.attune"),
            (18, "else", "keyword.control.conditional.attune"),
            (19, "repeat", "keyword.control.loop.attune"),
            (19, "4", "constant.numeric.integer.attune"),
            (19, "times", "keyword.other.attune"),
            (20, "2m", "constant.numeric.duration.attune"),
            (21, "section", "keyword.control.section.attune"),
            (21, "writing", "entity.name.section.attune"),
            (22, "goto", "keyword.control.flow.attune"),
            (22, "writing", "entity.name.section.reference.attune"),
            (23, "closing-words", "entity.name.section.reference.attune"),
            (24, "include", "keyword.control.import.attune"),
            (24, "parts.attune", "string.quoted.double.path.attune"),
            (25, "reflect", "keyword.other.reflect.attune"),
            (26, "end", "keyword.control.end.attune"),
            (27, "@breath", "invalid.illegal.unknown-statement.attune"),
            (28, "just prose", "string.unquoted.option-label.attune"), // a grammar cannot see the @choose above
        ]
        for (line, text, expected) in expectations {
            #expect(Self.scope(tokens, line: line, text) == expected,
                    "line \(line), `\(text)`: \(tokens[line - 1].map(\.description).joined(separator: " | "))")
        }
        // The whole header is inside the header scope, and nothing after it is.
        #expect(tokens[1].allSatisfy { $0.scopes.contains("meta.header.attune") })
        #expect(tokens[5].allSatisfy { !$0.scopes.contains("meta.header.attune") })
        // Every statement line is a statement, with the file's scope outermost.
        for line in 7...26 where line != 17 {
            #expect(tokens[line - 1].first?.scopes.first == "source.attune")
            #expect(tokens[line - 1].contains { $0.scopes.contains("meta.statement.attune") || $0.scopes.contains("meta.option.attune") },
                    "line \(line)")
        }
    }

    @Test func aHeaderLikeLineInTheBodyIsProse() throws {
        let tokens = try Self.load().tokenize("title: T\n---\nNote: this is prose.\n")
        #expect(Self.scope(tokens, line: 3, "Note") == "meta.paragraph.prose.attune")
    }
}
