/// Reads prose, prompts and captions: text with `{name}` and `{last.name}` insertions and
/// the escapes `\{`, `\}`, `\@` and `\\` (and `\"` inside a quoted string). Any other
/// backslash stays as written, so prose may hold paths and URLs.
///
///     template  := (text | escape | insertion)*
///     insertion := "{" ("last.")? name "}"
struct TemplateParser {
    let bytes: SourceBytes
    /// The same bytes as an array, which templates keep to make their text from on demand.
    let file: [UInt8]
    let path: String
    var diagnostics: [Diagnostic] = []
    /// One line reports at most this many brace problems; the rest add nothing useful.
    static let maximumPerLine = 8

    init(bytes: SourceBytes, file: [UInt8], path: String) {
        self.bytes = bytes
        self.file = file
        self.path = path
    }

    /// Prose: the whole range is the template.
    mutating func prose(_ range: SourceRange) -> Template {
        // Fast path: nothing to interpret.
        // (The backslash stands in twice: only three bytes mean anything here.)
        let index = bytes.firstIndex(from: range.start, to: range.end, of: 0x5C, 0x7B, 0x7D, 0x5C)
        if index == range.end {
            return range.isEmpty ? Template(pieces: [], file: file, range: range)
                                 : Template(plain: range, file: file, range: range)
        }
        return scan(range, quoted: false, plainUntil: index).template
    }

    /// A quoted string starting at `start` (which holds `"`). Returns the template of its
    /// content and the position after the closing quote, or nil when it is not closed
    /// (after reporting `A005`).
    mutating func quoted(at start: Int, lineEnd: Int) -> (template: Template, end: Int)? {
        // Fast path: plain text up to the closing quote.
        let index = bytes.firstIndex(from: start + 1, to: lineEnd, of: 0x22, 0x5C, 0x7B, 0x7D)
        if index < lineEnd, bytes[index] == 0x22 {
            let text = SourceRange(start + 1, index)
            let range = SourceRange(start, index + 1)
            return (text.isEmpty ? Template(pieces: [], file: file, range: range)
                                 : Template(plain: text, file: file, range: range), index + 1)
        }
        var (template, closingQuote) = scan(SourceRange(start + 1, lineEnd), quoted: true, plainUntil: index)
        guard let close = closingQuote else {
            diagnostics.append(Diagnostic(.unterminatedString,
                "this text has no closing quote (`\"`)", path: path, range: SourceRange(start, lineEnd)))
            return nil
        }
        // The template spans its quotes.
        template.range = SourceRange(start, close + 1)
        return (template, close + 1)
    }

    /// Reports a problem, up to ``maximumPerLine`` of them.
    private mutating func add(_ code: DiagnosticCode, _ message: String, _ range: SourceRange) {
        guard diagnostics.count < Self.maximumPerLine else { return }
        diagnostics.append(Diagnostic(code, message, path: path, range: range))
    }

    /// Reads a template from `range`; `plainUntil`, when given, is where the first byte with a
    /// meaning stands (found already), so the plain text before it is taken as it is.
    private mutating func scan(_ range: SourceRange, quoted: Bool,
                               plainUntil: Int? = nil) -> (template: Template, closingQuote: Int?) {
        var parts: [Template.Piece] = []
        // Room for text, insertion, text at once (most lines have at most one insertion);
        // more grows as needed.
        parts.reserveCapacity(3)
        var pending = PendingText(bytes: bytes, capacity: range.count)
        var index = range.start
        if let plainUntil, plainUntil > index {
            pending.append(run: index, plainUntil)
            index = plainUntil
        }
        var closingQuote: Int?
        func flush() {
            if let text = pending.take() { parts.append(text) }
        }
        scanning: while index < range.end {
            let byte = bytes[index]
            switch byte {
            case 0x22 where quoted: // "
                closingQuote = index
                break scanning
            case 0x5C: // backslash
                if index + 1 < range.end {
                    let next = bytes[index + 1]
                    if next == 0x7B || next == 0x7D || next == 0x40 || next == 0x5C || (quoted && next == 0x22) {
                        pending.append(byte: next)
                        index += 2
                        continue
                    }
                }
                pending.append(byte: byte)
                index += 1
            case 0x7D: // }
                add(.unmatchedBrace, "this `}` closes nothing; write `\\}` for a literal brace",
                    SourceRange(index, index + 1))
                pending.append(byte: byte)
                index += 1
            case 0x7B: // {
                var close = index + 1
                while close < range.end, bytes[close] != 0x7D, bytes[close] != 0x7B,
                      !(quoted && bytes[close] == 0x22) {
                    close += 1
                }
                guard close < range.end, bytes[close] == 0x7D else {
                    add(.unmatchedBrace, "this `{` is never closed; write `\\{` for a literal brace",
                        SourceRange(index, index + 1))
                    pending.append(byte: byte)
                    index += 1
                    continue
                }
                if let reference = variableReference(SourceRange(index + 1, close)) {
                    flush()
                    parts.append(.variable(reference))
                } else {
                    let inner = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                    add(.badName,
                        inner.isEmpty
                            ? "empty braces; write a variable name inside, as in `{name}`, or `\\{\\}` for braces"
                            : "`{\(inner)}` is not a variable; write `{name}` or `{last.name}`, or `\\{` for a brace",
                        SourceRange(index, close + 1))
                }
                index = close + 1
            default:
                // The run of plain bytes up to the next one with a meaning, in one copy.
                let end = bytes.firstIndex(from: index + 1, to: range.end, of: 0x5C, 0x7B, 0x7D, quoted ? 0x22 : 0x5C)
                pending.append(run: index, end)
                index = end
            }
        }
        flush()
        return (Template(pieces: parts, file: file, range: range), closingQuote)
    }

    /// The text gathered for one literal part. A run of plain bytes straight from the line
    /// is kept as its range; only text that mixes runs with escapes is copied into a buffer
    /// and made into a string (the buffer is made once per template, at most its size).
    private struct PendingText {
        let bytes: SourceBytes
        let capacity: Int
        /// A run of the line's bytes not yet copied anywhere (empty when `start == end`).
        var start = 0
        var end = 0
        var buffer: [UInt8] = []

        init(bytes: SourceBytes, capacity: Int) {
            self.bytes = bytes
            self.capacity = capacity
        }

        mutating func append(run from: Int, _ to: Int) {
            if buffer.isEmpty, start == end {
                (start, end) = (from, to)
            } else if buffer.isEmpty, end == from {
                end = to
            } else {
                spill()
                buffer.append(contentsOf: bytes[from..<to])
            }
        }

        mutating func append(byte: UInt8) {
            spill()
            buffer.append(byte)
        }

        /// Moves the run into the buffer, so a byte that differs from the line can follow.
        private mutating func spill() {
            if buffer.capacity == 0 { buffer.reserveCapacity(capacity) }
            if start < end { buffer.append(contentsOf: bytes[start..<end]) }
            (start, end) = (0, 0)
        }

        /// The text gathered since the last call, or nil when there is none.
        mutating func take() -> Template.Piece? {
            if buffer.isEmpty {
                guard start < end else { return nil }
                defer { (start, end) = (0, 0) }
                return .source(SourceRange(start, end))
            }
            spill()
            defer { buffer.removeAll(keepingCapacity: true) }
            return .text(String(decoding: buffer, as: UTF8.self))
        }
    }

    /// `name` or `last.name` filling exactly `range`.
    private func variableReference(_ range: SourceRange) -> VariableReference? {
        var cursor = Cursor(bytes: bytes, range: range)
        var isLast = false
        if cursor.take("last.") { isLast = true }
        guard let name = cursor.name(allowDash: false), cursor.atEnd else { return nil }
        return VariableReference(name: name.text, isLast: isLast, range: range)
    }
}
