/// Renders diagnostics as a compiler does: `PATH:LINE:COL: error[CODE]: message`, then the
/// source line and a caret placed by display width. Pure: the caller decides on colour
/// (only on a terminal, never with `NO_COLOR` or `TERM=dumb`) and where the text goes.
public struct DiagnosticRenderer {
    public var colored: Bool
    /// The widest source excerpt shown; longer lines are cut around the caret.
    public var maximumWidth: Int

    public init(colored: Bool = false, maximumWidth: Int = 100) {
        self.colored = colored
        self.maximumWidth = maximumWidth
    }

    private func paint(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// One diagnostic with its excerpt and notes, ending with a newline. A note in another
    /// file (an included one) is placed and quoted from `sources` when it holds that file.
    public func render(_ diagnostic: Diagnostic, source: SourceFile?, sources: [String: SourceFile] = [:]) -> String {
        let location = source?.location(of: diagnostic.range.start)
        let label = diagnostic.severity == .error
            ? paint("error[\(diagnostic.code.id)]", "1;31")
            : paint("warning[\(diagnostic.code.id)]", "1;33")
        // A message may quote the file, control characters and all: shown as U+FFFD, as in
        // the excerpt, so a file cannot send escape sequences to the terminal.
        let message = String(diagnostic.message.map(Self.printable))
        var out = "\(paint(position(diagnostic.path, location), "1")): \(label): \(message)\n"
        if let source, let location {
            out += excerpt(source, location: location, range: diagnostic.range)
        }
        for note in diagnostic.notes {
            let noteSource = note.path == source?.path ? source : sources[note.path]
            let noteLocation = noteSource?.location(of: note.range.start)
            out += "\(paint(position(note.path, noteLocation), "1")): \(paint("note", "1;36")): \(String(note.message.map(Self.printable)))\n"
            if let noteSource, let noteLocation {
                out += excerpt(noteSource, location: noteLocation, range: note.range)
            }
        }
        return out
    }

    private func position(_ path: String, _ location: SourceLocation?) -> String {
        guard let location else { return path }
        return "\(path):\(location.line):\(location.column)"
    }

    /// The source line with a caret under the problem (and `~` under the rest of its range
    /// on that line).
    func excerpt(_ source: SourceFile, location: SourceLocation, range: SourceRange) -> String {
        let line = location.line
        let content = source.contentRange(ofLine: line)
        let bytes = source.bytes
        let offset = min(max(range.start, content.start), content.end)
        // Only a window around the caret is decoded, so enormous lines stay cheap.
        var windowStart = max(content.start, offset - 4 * maximumWidth)
        if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { windowStart = max(windowStart, 3) }
        while windowStart < offset, bytes[windowStart] & 0xC0 == 0x80 { windowStart += 1 }
        var windowEnd = min(content.end, offset + 4 * maximumWidth)
        while windowEnd > offset, windowEnd < content.end, bytes[windowEnd] & 0xC0 == 0x80 { windowEnd -= 1 }
        let characters = Array(source.text(SourceRange(windowStart, windowEnd)).map(Self.printable))
        let caretIndex = min(source.text(SourceRange(windowStart, offset)).count, characters.count)
        let rangeEnd = min(range.end, windowEnd)
        let underline = rangeEnd > offset ? max(0, source.text(SourceRange(offset, rangeEnd)).count - 1) : 0
        var start = 0
        var end = characters.count
        if characters.count > maximumWidth {
            start = max(0, caretIndex - maximumWidth / 2)
            end = min(characters.count, start + maximumWidth)
        }
        let prefix = (start > 0 || windowStart > content.start) ? "…" : ""
        let suffix = (end < characters.count || windowEnd < content.end) ? "…" : ""
        let shown = String(characters[start..<end])
        let lead = String(characters[start..<max(start, min(caretIndex, end))])
        let padding = String(repeating: " ", count: DisplayWidth.of(prefix) + DisplayWidth.of(lead))
        let tail = min(underline, max(0, end - caretIndex - 1))
        let marker = "^" + String(repeating: "~", count: tail)
        let gutter = String(line)
        let blank = String(repeating: " ", count: gutter.count)
        return "\(paint(gutter + " |", "36")) \(prefix)\(shown)\(suffix)\n"
            + "\(paint(blank + " |", "36")) \(padding)\(paint(marker, "1;32"))\n"
    }

    /// Control characters would move the cursor or garble the terminal: shown as `�`.
    private static func printable(_ character: Character) -> Character {
        if character == "\t" { return " " }
        if let scalar = character.unicodeScalars.first, scalar.value < 0x20 || scalar.value == 0x7F
            || (0x80..<0xA0).contains(scalar.value) {
            return "\u{FFFD}"
        }
        return character
    }

    /// `3 files, 1 error, 2 warnings`
    public static func summary(files: Int, errors: Int, warnings: Int) -> String {
        "\(count(files, "file")), \(count(errors, "error")), \(count(warnings, "warning"))"
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

/// The JSON form of diagnostics, stable for editors: an array of objects with `file`,
/// `line`, `column`, `endLine`, `endColumn`, `severity`, `code` and `message` (the first
/// six named in the contract never change; new fields may be added).
public enum DiagnosticJSON {
    public static func render(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) -> String {
        var out = "["
        for (number, diagnostic) in diagnostics.enumerated() {
            let source = sources[diagnostic.path]
            let start = source?.location(of: diagnostic.range.start) ?? SourceLocation(line: 1, column: 1)
            let end = source?.location(of: diagnostic.range.end) ?? start
            out += number == 0 ? "\n  " : ",\n  "
            out += "{\"file\": \(quote(diagnostic.path)), \"line\": \(start.line), \"column\": \(start.column), "
            out += "\"endLine\": \(end.line), \"endColumn\": \(end.column), "
            out += "\"severity\": \"\(diagnostic.severity.rawValue)\", \"code\": \"\(diagnostic.code.id)\", "
            out += "\"message\": \(quote(diagnostic.message))}"
        }
        out += diagnostics.isEmpty ? "]\n" : "\n]\n"
        return out
    }

    /// A JSON string literal.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
