@testable import AttuneLanguage
import Testing

/// Text with position markers (`1️⃣` … `9️⃣`) removed, and the byte offset of each marker.
struct MarkedText {
    let text: String
    let markers: [String: Int]

    init(_ marked: String) {
        var text = ""
        var markers: [String: Int] = [:]
        var offset = 0
        var characters = marked[...]
        while let character = characters.first {
            characters.removeFirst()
            if character.unicodeScalars.count == 3, character.unicodeScalars.last == "\u{20E3}",
               let digit = character.unicodeScalars.first, ("1"..."9").contains(digit) {
                markers[String(digit)] = offset
                continue
            }
            text.append(character)
            offset += character.utf8.count
        }
        self.text = text
        self.markers = markers
    }
}

/// The header most test bodies need.
func exercise(_ body: String, title: String = "Test") -> String {
    "title: \(title)\n---\n" + body
}

/// Checks `marked` and expects exactly the listed diagnostics, each at its marker.
func expectDiagnostics(_ marked: String, _ expected: [(String, DiagnosticCode)],
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let text = MarkedText(marked)
    let result = Checker.check(text: text.text, path: "test.attune")
    let source = SourceFile(path: "test.attune", text: text.text)
    let renderer = DiagnosticRenderer()
    var remaining = result.diagnostics
    for (marker, code) in expected {
        guard let offset = text.markers[marker] else {
            Issue.record("no marker \(marker) in the text", sourceLocation: sourceLocation)
            continue
        }
        if let index = remaining.firstIndex(where: { $0.code == code && $0.range.start == offset }) {
            remaining.remove(at: index)
        } else {
            let location = source.location(of: offset)
            let found = result.diagnostics.map { renderer.render($0, source: source) }.joined()
            Issue.record("expected \(code.id) at marker \(marker) (\(location)); found:\n\(found)",
                         sourceLocation: sourceLocation)
        }
    }
    for diagnostic in remaining {
        Issue.record("unexpected diagnostic:\n\(renderer.render(diagnostic, source: source))",
                     sourceLocation: sourceLocation)
    }
}

/// Expects a file to check clean (no errors, no warnings) and to round-trip.
@discardableResult
func expectClean(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Program? {
    let result = Checker.check(text: text, path: "test.attune")
    let source = SourceFile(path: "test.attune", text: text)
    let renderer = DiagnosticRenderer()
    for diagnostic in result.diagnostics {
        Issue.record("unexpected diagnostic:\n\(renderer.render(diagnostic, source: source))",
                     sourceLocation: sourceLocation)
    }
    #expect(result.tree.printedSource() == Array(text.utf8), "the tree must print back byte for byte",
            sourceLocation: sourceLocation)
    return result.program
}

/// The dump of a parsed text (body only, after the standard header).
func dump(_ body: String) -> String {
    let tree = Parser.parse(SourceFile(path: "test.attune", text: exercise(body)))
    return tree.dump().split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.hasPrefix("header ") && !$0.hasPrefix("separator ") }
        .joined(separator: "\n")
        .trimmingTrailingNewlines()
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
