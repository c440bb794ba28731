@testable import AttuneLanguage
import Testing

/// Text with position markers (`1️⃣` … `9️⃣`) removed, and the byte offset of each marker.
/// A byte that is not valid UTF-8 is written `⟪FF⟫` (two hex digits) and becomes that byte.
struct MarkedText {
    let bytes: [UInt8]
    let markers: [String: Int]

    /// The bytes as text (invalid bytes show as U+FFFD).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    init(_ marked: String) {
        var bytes: [UInt8] = []
        var markers: [String: Int] = [:]
        var characters = marked[...]
        while let character = characters.first {
            characters.removeFirst()
            if character.unicodeScalars.count == 3, character.unicodeScalars.last == "\u{20E3}",
               let digit = character.unicodeScalars.first, ("1"..."9").contains(digit) {
                markers[String(digit)] = bytes.count
                continue
            }
            if character == "⟪", let close = characters.firstIndex(of: "⟫"),
               let byte = UInt8(characters[..<close], radix: 16) {
                bytes.append(byte)
                characters = characters[characters.index(after: close)...]
                continue
            }
            bytes.append(contentsOf: character.utf8)
        }
        self.bytes = bytes
        self.markers = markers
    }
}

/// The header most test bodies need.
func exercise(_ body: String, title: String = "Test") -> String {
    "title: \(title)\n---\n" + body
}

/// An in-memory loader for `@include`: paths (as the checker resolves them) to file texts,
/// which may hold markers and `⟪FF⟫` bytes as ``MarkedText`` reads them.
func loader(_ files: [String: String]) -> Checker.Loader {
    let marked = files.mapValues { MarkedText($0).bytes }
    return { path in marked[path].map { SourceFile(path: path, bytes: $0) } }
}

/// Checks `marked` (as `test.attune`) and expects exactly the listed diagnostics, each at
/// its marker, and that every file read prints back byte for byte. `files` are the other
/// files `@include` can read; a marker `"lib.attune:1"` is marker 1 in that file.
@discardableResult
func expectDiagnostics(_ marked: String, _ expected: [(String, DiagnosticCode)], files: [String: String] = [:],
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) -> CheckResult {
    let text = MarkedText(marked)
    let source = SourceFile(path: "test.attune", bytes: text.bytes)
    let result = Checker.check(source, load: loader(files))
    let renderer = DiagnosticRenderer()
    func rendered(_ diagnostic: Diagnostic) -> String {
        renderer.render(diagnostic, source: result.sources[diagnostic.path])
    }
    var remaining = result.diagnostics
    for (marker, code) in expected {
        var path = source.path
        var markers = text.markers
        var name = marker
        if let colon = marker.lastIndex(of: ":") {
            path = String(marker[..<colon])
            name = String(marker[marker.index(after: colon)...])
            markers = MarkedText(files[path] ?? "").markers
        }
        guard let offset = markers[name] else {
            Issue.record("no marker \(marker) in the text", sourceLocation: sourceLocation)
            continue
        }
        if let index = remaining.firstIndex(where: { $0.code == code && $0.range.start == offset && $0.path == path }) {
            remaining.remove(at: index)
        } else {
            let location = result.sources[path]?.location(of: offset).description ?? "?"
            let found = result.diagnostics.map(rendered).joined()
            Issue.record("expected \(code.id) at marker \(marker) (\(path):\(location)); found:\n\(found)",
                         sourceLocation: sourceLocation)
        }
    }
    for diagnostic in remaining {
        Issue.record("unexpected diagnostic:\n\(rendered(diagnostic))", sourceLocation: sourceLocation)
    }
    for (path, file) in result.sources {
        #expect(Parser.parse(file).printedSource() == file.bytes, "\(path) must print back byte for byte",
                sourceLocation: sourceLocation)
    }
    return result
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
