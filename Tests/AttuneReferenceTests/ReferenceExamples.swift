import AttuneEngine
import AttuneLanguage
import Foundation

/// The fenced examples of the language reference (the DocC catalogue beside the language
/// target), read from the source tree, so the reference cannot drift from the language.
///
/// A fence's language says what it holds; an HTML comment on the line right above it (which
/// DocC and other Markdown renderers do not show) says how it is checked:
///
///     <!-- test: expect=A012 name=broken.attune -->
///     ```attune
///
/// - `attune` with no comment: an exercise that checks with no diagnostics at all and is
///   already in `attune fmt`'s layout;
/// - `expect=A012` (or `expect=A041,A012`): an exercise whose diagnostics have exactly
///   these codes;
/// - `name=parts.attune`: gives the example a file name, so other examples on the same page
///   can `@include` it and test files can name it;
/// - `bytes`: `\xHH` in the text stands for the byte HH (a tab, or bytes that are not UTF-8,
///   which a Markdown file cannot hold);
/// - `fmt-input` then `fmt-output` on the next example: the second is what `attune fmt`
///   makes of the first;
/// - `attune-test`: an `attune test` file, which must pass against the named exercise;
/// - `json` or `text` with `diagnostics-of=NAME`: exactly what `attune check --format json`
///   or `attune check` prints for the named example;
/// - `dot` or `mermaid` with `graph-of=NAME`: exactly what `attune graph` prints.
/// Other fences (`sh`, plain `text` …) are not checked.
struct ReferenceExample: CustomStringConvertible {
    var page: String
    /// 1-based line of the opening fence.
    var line: Int
    var language: String
    var options: [String: String]
    var flags: Set<String>
    var text: String

    var description: String { "\(page):\(line)" }

    var name: String? { options["name"] }

    var expectedCodes: Set<String>? {
        options["expect"].map { Set($0.split(separator: ",").map(String.init)) }
    }

    /// The bytes of an exercise example, with `\xHH` decoded when it is marked `bytes`.
    var bytes: [UInt8] {
        guard flags.contains("bytes") else { return Array(text.utf8) }
        var out: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if index + 3 < source.count, source[index] == UInt8(ascii: "\\"), source[index + 1] == UInt8(ascii: "x"),
               let value = UInt8(String(decoding: source[(index + 2)...(index + 3)], as: UTF8.self), radix: 16) {
                out.append(value)
                index += 4
            } else {
                out.append(source[index])
                index += 1
            }
        }
        return out
    }

    var path: String { name ?? "example.attune" }

    var source: SourceFile { SourceFile(path: path, bytes: bytes) }
}

enum Reference {
    /// `Sources/AttuneLanguage/AttuneLanguage.docc`, found from this file's place in the tree.
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/AttuneLanguage/AttuneLanguage.docc")

    /// Every Markdown page of the catalogue, by file name, in name order.
    static func pages() throws -> [(name: String, text: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".md") }.sorted()
        return try names.map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// The fenced blocks of a page. A fence is three or more backticks at the start of a
    /// line (indented fences are reported, so no example is skipped by accident).
    static func examples(in page: String, named name: String) -> (examples: [ReferenceExample], problems: [String]) {
        var examples: [ReferenceExample] = []
        var problems: [String] = []
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```"), trimmed.count != line.count, trimmed.contains("attune") {
                problems.append("\(name):\(index + 1): an indented fence; examples start at the left margin")
            }
            guard line.hasPrefix("```") else {
                index += 1
                continue
            }
            let fence = String(line.prefix { $0 == "`" })
            let language = String(line.dropFirst(fence.count)).trimmingCharacters(in: .whitespaces)
            if language.contains(" ") || language.contains(",") {
                problems.append("\(name):\(index + 1): put test options in a `<!-- test: … -->` line above the fence, not after the language")
            }
            var info: [String] = []
            if index > 0 {
                let above = lines[index - 1].trimmingCharacters(in: .whitespaces)
                if above.hasPrefix("<!-- test:"), above.hasSuffix("-->") {
                    info = above.dropFirst("<!-- test:".count).dropLast("-->".count).split(separator: " ").map(String.init)
                }
            }
            var body: [String] = []
            var close = index + 1
            while close < lines.count, !(lines[close].hasPrefix(fence) && lines[close].allSatisfy { $0 == "`" }) {
                body.append(lines[close])
                close += 1
            }
            if close == lines.count { problems.append("\(name):\(index + 1): a fence that is never closed") }
            var options: [String: String] = [:]
            var flags: Set<String> = []
            for word in info {
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { options[parts[0]] = parts[1] } else { flags.insert(word) }
            }
            examples.append(ReferenceExample(page: name, line: index + 1, language: language, options: options,
                                             flags: flags, text: body.isEmpty ? "" : body.joined(separator: "\n") + "\n"))
            index = close + 1
        }
        return (examples, problems)
    }

    /// Checks an exercise example, with the named examples of its page as the files it
    /// can include.
    static func check(_ example: ReferenceExample, page: [ReferenceExample]) -> CheckResult {
        let files = Dictionary(page.compactMap { e in e.name.map { ($0, e.source) } }, uniquingKeysWith: { first, _ in first })
        return Checker.check(example.source) { path in files[path] }
    }

    static func rendered(_ result: CheckResult) -> String {
        let renderer = DiagnosticRenderer()
        let sorted = result.diagnostics.sortedByPosition()
        return sorted.map { renderer.render($0, source: result.sources[$0.path]) }.joined()
            + DiagnosticRenderer.summary(files: 1, errors: sorted.errorCount, warnings: sorted.warningCount) + "\n"
    }
}
