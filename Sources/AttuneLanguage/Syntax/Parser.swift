/// Reads an exercise file into a ``SyntaxTree``. Never fails: every problem becomes a
/// diagnostic and reading goes on, so one run reports every problem in a file.
///
///     file   := header "---" body
///     header := (field | blank | comment)*        field := key ":" value
///     body   := line*                             (blocks by indentation)
public enum Parser {
    /// The deepest nesting of blocks allowed (LANGUAGE.md: deeper than 64 is an error).
    public static let maximumDepth = 64

    /// The most lines a file may have (`A042` past them). Far beyond any exercise, and it
    /// keeps what a file can cost in memory bounded, whatever its bytes.
    public static let maximumLines = 2_000_000

    /// The largest file read, in bytes (`A042` past it). Source ranges are kept in 32 bits,
    /// and an exercise is a few kilobytes.
    public static let maximumBytes = 1 << 30

    public static func parse(_ source: SourceFile) -> SyntaxTree {
        parse(source, maximumBytes: maximumBytes)
    }

    /// `maximumBytes` is a parameter so the tests can reach it without a gigabyte.
    static func parse(_ source: SourceFile, maximumBytes: Int) -> SyntaxTree {
        guard source.bytes.count <= maximumBytes else {
            // Not read at all: none of its offsets could be kept.
            let size = maximumBytes >= 1 << 30 ? "\(maximumBytes >> 30) GiB" : "\(maximumBytes) bytes"
            let diagnostic = Diagnostic(.tooManyLines,
                "this file is larger than \(size); attune reads exercises up to that size",
                path: source.path, range: SourceRange(0, 0))
            return SyntaxTree(source: source, header: Header(lines: [], separator: nil), body: [],
                              diagnostics: [diagnostic])
        }
        return SourceBytes.with(source.bytes) { bytes in
            var reader = FileReader(source: source, bytes: bytes)
            return reader.read()
        }
    }
}

private struct FileReader {
    let source: SourceFile
    let bytes: SourceBytes
    let path: String
    let hasBOM: Bool
    /// Whether the whole file is valid UTF-8, found in one pass: then no line needs a look
    /// of its own (a line break is ASCII, so no character spans two lines).
    let isValidUTF8: Bool
    var diagnostics: [Diagnostic] = []
    /// Where the search for the header's `---` started, and what it found.
    var separatorSearch: (from: Int, found: Int?)?

    init(source: SourceFile, bytes: SourceBytes) {
        self.source = source
        self.bytes = bytes
        self.path = source.path
        self.hasBOM = source.bytes.starts(with: [0xEF, 0xBB, 0xBF])
        self.isValidUTF8 = UTF8Validation.firstInvalidByte(bytes, SourceRange(0, bytes.count)) == nil
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, _ range: SourceRange, notes: [Diagnostic.Note] = []) {
        guard diagnostics.count < Checker.maximumDiagnostics else { return }
        diagnostics.append(Diagnostic(code, message, path: path, range: range, notes: notes))
    }

    // MARK: Lines

    /// The physical lines, measured once.
    struct RawLine {
        var info: LineInfo
        var isBlank: Bool
        var isComment: Bool
        var isValidUTF8: Bool
        /// A tab in the indentation (reported once; the line's depth is then a guess, so
        /// it raises no indentation error of its own).
        var hasTab = false
    }

    /// Measures one line (1-based), reporting a tab in its indentation and invalid UTF-8
    /// when `reporting` (each line is reported once).
    mutating func measure(_ number: Int, reporting: Bool) -> RawLine {
        let start = source.lineStarts[number - 1]
        let end = number < source.lineStarts.count ? source.lineStarts[number] : bytes.count
        var contentEnd = end
        if contentEnd > start, bytes[contentEnd - 1] == 0x0A { contentEnd -= 1 }
        if contentEnd > start, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        var index = (number == 1 && hasBOM) ? start + 3 : start
        var indent = 0
        var sawTab = false
        while index < contentEnd, bytes[index] == 0x20 || bytes[index] == 0x09 {
            if bytes[index] == 0x09, !sawTab {
                sawTab = true
                if reporting, !Self.isAllSpace(bytes, index, contentEnd) {
                    report(.tabIndentation, "indentation uses a tab; indent with spaces only",
                           SourceRange(index, index + 1))
                }
            }
            indent += 1
            index += 1
        }
        var trimmedEnd = contentEnd
        while trimmedEnd > index, bytes[trimmedEnd - 1] == 0x20 || bytes[trimmedEnd - 1] == 0x09 { trimmedEnd -= 1 }
        let info = LineInfo(number: number, range: SourceRange(start, end),
                            content: SourceRange(index, trimmedEnd), indent: indent)
        var valid = true
        if !isValidUTF8, let bad = UTF8Validation.firstInvalidByte(bytes, SourceRange(start, contentEnd)) {
            valid = false
            if reporting {
                report(.invalidUTF8, "this line is not valid UTF-8; save the file as UTF-8", SourceRange(bad, bad + 1))
            }
        }
        let isBlank = index == trimmedEnd
        let isComment = !isBlank && trimmedEnd - index >= 2 && bytes[index] == 0x2F && bytes[index + 1] == 0x2F
        return RawLine(info: info, isBlank: isBlank, isComment: isComment, isValidUTF8: valid, hasTab: sawTab)
    }

    /// The index of the first line from `index` on that is `---`, if any (looked up once).
    mutating func firstSeparator(from index: Int, below count: Int) -> Int? {
        if let known = separatorSearch, known.from <= index { return known.found.flatMap { $0 >= index ? $0 : nil } }
        var found: Int?
        for candidate in index..<count where isSeparator(measure(candidate + 1, reporting: false)) {
            found = candidate
            break
        }
        separatorSearch = (index, found)
        return found
    }

    /// A count with thousands separated by commas, as the messages write it: `2,000,000`.
    static func grouped(_ number: Int) -> String {
        var digits = String(number)
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        return ([Substring(digits)] + groups).joined(separator: ",")
    }

    static func isAllSpace(_ bytes: SourceBytes, _ from: Int, _ to: Int) -> Bool {
        var index = from
        while index < to {
            if bytes[index] != 0x20 && bytes[index] != 0x09 { return false }
            index += 1
        }
        return true
    }

    func isSeparator(_ line: RawLine) -> Bool {
        let content = line.info.content
        return content.count == 3 && bytes[content.start] == 0x2D && bytes[content.start + 1] == 0x2D
            && bytes[content.start + 2] == 0x2D
    }

    // MARK: Header

    mutating func read() -> SyntaxTree {
        // Lines are measured as they are read, not all at once, so the file's size costs
        // no array of lines besides the tree.
        let count = min(source.lineCount, Parser.maximumLines)
        var header = Header(lines: [], separator: nil)
        var bodyStart = count
        var seenKeys: [String: HeaderField] = [:]
        var headerIsUnreadable = false
        var index = 0
        headerLoop: while index < count {
            let line = measure(index + 1, reporting: true)
            if !line.isValidUTF8 {
                headerIsUnreadable = true
                header.lines.append(.invalid(line.info))
            } else if line.isBlank {
                header.lines.append(.blank(line.info))
            } else if line.isComment {
                header.lines.append(.comment(line.info))
            } else if isSeparator(line) {
                header.separator = line.info
                bodyStart = index + 1
                break headerLoop
            } else if let field = headerField(line.info) {
                header.lines.append(.field(field))
                if let first = seenKeys[field.key] {
                    report(.duplicateHeaderKey, "the header key `\(field.key)` is given twice", field.keyRange,
                           notes: [Diagnostic.Note(message: "first given here", path: path, range: first.keyRange)])
                } else {
                    seenKeys[field.key] = field
                    if !HeaderField.knownKeys.contains(field.key) {
                        let lower = field.key.lowercased()
                        let hint: String
                        if HeaderField.knownKeys.contains(lower) {
                            hint = "; keys are lower case, as in `\(lower)`"
                        } else if let close = EditDistance.closest(to: lower, in: HeaderField.knownKeys.sorted()) {
                            hint = "; did you mean `\(close)`?"
                        } else {
                            hint = "; known keys are title, summary, tags, source and caution"
                        }
                        report(.unknownHeaderKey, "unknown header key `\(field.key)`\(hint)", field.keyRange)
                    }
                }
            } else if firstSeparator(from: index, below: count) != nil {
                header.lines.append(.invalid(line.info))
                report(.headerLineWithoutKey,
                       "a header line needs the form `key: value`", line.info.content)
            } else {
                // No `---` anywhere after this: the body starts here.
                report(.missingSeparator, "the header must end with a line `---` before the exercise starts",
                       SourceRange(line.info.content.start, line.info.content.start))
                bodyStart = index
                break headerLoop
            }
            index += 1
        }
        if header.separator == nil && bodyStart == count {
            let at = bytes.count
            report(.missingSeparator, "the header must end with a line `---` before the exercise starts",
                   SourceRange(at, at))
        }
        if let title = seenKeys["title"] {
            if title.value.isEmpty {
                report(.missingTitle, "the title is empty; give the exercise a short name", title.keyRange)
            }
        } else if !headerIsUnreadable {
            // (A header line that is not UTF-8 may be the title: its own error is enough.)
            let at = header.separator?.content ?? SourceRange(0, 0)
            report(.missingTitle, "the header needs a title, such as `title: Box breathing`",
                   SourceRange(at.start, at.start))
        }
        var builder = BlockBuilder(reader: self)
        // Most lines of most files stand at the top level.
        builder.nodes.reserveCapacity(count - bodyStart)
        // The line that showed a missing `---` was reported in the header already.
        let reportedUpTo = header.separator == nil ? bodyStart + 1 : bodyStart
        for number in (bodyStart + 1)..<(count + 1) {
            builder.add(builder.reader.measure(number, reporting: number > reportedUpTo))
        }
        var body = builder.finish()
        diagnostics = builder.reader.diagnostics
        if source.lineCount > count {
            // The lines past the limit are kept, unread, as one node: the tree still prints
            // the file back.
            let start = source.lineStarts[count]
            let rest = SourceRange(start, bytes.count)
            body.append(.invalid(LineInfo(number: count + 1, range: rest, content: rest, indent: 0)))
            report(.tooManyLines,
                   "this file has more than \(Self.grouped(Parser.maximumLines)) lines; attune reads exercises up to that length",
                   SourceRange(start, start))
        }
        return SyntaxTree(source: source, header: header, body: body, diagnostics: diagnostics)
    }

    func headerField(_ line: LineInfo) -> HeaderField? {
        var cursor = Cursor(bytes: bytes, range: line.content)
        let keyStart = cursor.position
        guard let first = cursor.peek(), first.isASCIILetter else { return nil }
        while let byte = cursor.peek(), byte.isASCIILetter || byte.isASCIIDigit || byte == 0x5F || byte == 0x2D {
            cursor.position += 1
        }
        let keyRange = SourceRange(keyStart, cursor.position)
        guard cursor.take(":") else { return nil }
        cursor.skipSpaces()
        let valueRange = cursor.rest()
        return HeaderField(line: line, key: source.text(keyRange), keyRange: keyRange,
                           value: source.text(valueRange), valueRange: valueRange)
    }
}

// MARK: - Blocks

/// Builds the tree of blocks from the body's lines by their indentation.
private struct BlockBuilder {
    var reader: FileReader

    struct Container {
        /// The indentation of this block's lines (the top level: 0).
        var indent: Int
        var depth: Int
        var owner: OwnerKind
        /// Where this block's nodes start in ``BlockBuilder/nodes``.
        var base: Int
        /// The kind of the last statement (not comment, blank or prose) for `@elif`/`@else`.
        var lastWasIfOrElif = false
        /// Where the statement that opened this block stands in ``BlockBuilder/nodes``.
        var openerIndex = -1
        /// The last line here (not a comment or blank), when it is a statement with no block
        /// yet: its index, whether indented lines after it form its block, and whether it
        /// needs one. Kept as lines arrive, so no line has to look back through the block.
        var pending: Pending?
    }

    struct Pending {
        var index: Int
        var opens: Bool
        var needsBlock: Bool
    }

    enum OwnerKind { case top, choose, reflect, other }

    var stack: [Container] = [Container(indent: 0, depth: 0, owner: .top, base: 0)]
    /// The nodes of every open block, outermost first: each block's own run starts at its
    /// container's `base`. A block that closes is copied out once, at its final size, so no
    /// block's array grows line by line.
    var nodes: [Node] = []
    /// Blank lines waiting while `flushTrivia(beforeIndent:final:)` places comments.
    private var blanks: [FileReader.RawLine] = []
    var trivia: [FileReader.RawLine] = []
    /// Lines deeper than the block they are attached to, after an error that said so once.
    var silentIndent: Int?

    /// Reads each line's statement or prose; one for the whole file.
    var statementParser: StatementParser

    init(reader: FileReader) {
        self.reader = reader
        statementParser = StatementParser(bytes: reader.bytes, file: reader.source.bytes, path: reader.path)
    }

    mutating func add(_ line: FileReader.RawLine) {
        if line.isBlank || line.isComment || !line.isValidUTF8 {
            trivia.append(line)
            return
        }
        place(line)
    }

    mutating func finish() -> [Node] {
        flushTrivia(beforeIndent: 0, final: true)
        while stack.count > 1 { pop() }
        closePending(at: 0)
        return nodes
    }

    // MARK: Placing a line

    mutating func place(_ line: FileReader.RawLine) {
        let indent = line.info.indent
        var top = stack.count - 1
        if let silent = silentIndent {
            if indent > stack[top].indent && indent >= silent {
                flushTrivia(into: top)
                append(givenEmptyBlock(parseLine(line)), at: top)
                return
            }
            silentIndent = nil
        }
        if indent > stack[top].indent, let pending = stack[top].pending, pending.opens,
           case .statement(let opener) = nodes[pending.index] {
            if case .option(_, _, let jump?) = opener.kind {
                reader.report(.optionJumpAndBlock,
                              "this option jumps to `\(jump.text)` and also has a block; keep one of them",
                              opener.line.content)
            }
            if stack[top].depth + 1 > Parser.maximumDepth {
                reader.report(.nestingTooDeep,
                              "blocks are nested more than \(Parser.maximumDepth) deep here; move the inner part into a `@section`",
                              SourceRange(line.info.content.start, line.info.content.start))
                markBlockGiven(at: top)
                silentIndent = indent
                flushTrivia(into: top)
                append(givenEmptyBlock(parseLine(line)), at: top)
                return
            }
            let owner: OwnerKind
            switch opener.kind {
            case .choose, .malformed(keyword: "choose"): owner = .choose
            case .reflect, .malformed(keyword: "reflect"): owner = .reflect
            default: owner = .other
            }
            stack.append(Container(indent: indent, depth: stack[top].depth + 1, owner: owner,
                                   base: nodes.count, openerIndex: pending.index))
            top += 1
            flushTrivia(into: top)
            append(parseLine(line), at: top)
            return
        }
        flushTrivia(beforeIndent: indent, final: false)
        var popped = false
        while stack.count > 1 && indent < stack[stack.count - 1].indent {
            pop()
            popped = true
        }
        top = stack.count - 1
        closePending(at: top)
        if indent > stack[top].indent, line.hasTab {
            silentIndent = indent
        } else if indent > stack[top].indent {
            if popped {
                reader.report(.badIndentation,
                              "this line's indentation matches no block around it; line it up with the block it belongs to",
                              SourceRange(line.info.content.start, line.info.content.start))
            } else {
                reader.report(.unexpectedIndent,
                              "this line is indented, but the line above takes no block",
                              SourceRange(line.info.content.start, line.info.content.start))
            }
            silentIndent = indent
        }
        append(parseLine(line), at: top)
    }

    /// Lines inside a run that was already reported keep no blocks of their own, so they
    /// raise no further errors.
    func givenEmptyBlock(_ node: Node) -> Node {
        guard case .statement(var statement) = node, statement.takesBlock else { return node }
        statement.block = []
        return .statement(statement)
    }

    func opensBlock(_ statement: Statement) -> Bool {
        switch statement.kind {
        case .option: return true
        case .malformed(let keyword): return !Self.keywordsWithoutBlock.contains(keyword)
        default: return statement.takesBlock
        }
    }

    /// A statement that could not be read still owns the lines indented under it, unless it
    /// is one that never takes a block: its own error is enough, and the block is checked
    /// as usual (an `@if` with a bad condition, an `@else` in the wrong place, a misspelt
    /// `@repaet`).
    static let keywordsWithoutBlock: Set<String> = [
        "pause", "breathe", "bell", "ask", "write", "rate", "set", "section", "goto", "call", "include", "end",
    ]

    /// The statement at the end of a container gave no block although it needs one.
    mutating func closePending(at index: Int) {
        var container = stack[index]
        closePending(&container)
        stack[index] = container
    }

    mutating func closePending(_ container: inout Container) {
        guard let pending = container.pending else { return }
        container.pending = nil
        guard pending.needsBlock, case .statement(let statement) = nodes[pending.index] else { return }
        reader.report(.missingBlock, "`@\(statement.keyword)` needs an indented block under it",
                      statement.keywordRange)
        giveEmptyBlock(at: pending.index)
    }

    mutating func markBlockGiven(at index: Int) {
        guard let pending = stack[index].pending else { return }
        stack[index].pending = nil
        giveEmptyBlock(at: pending.index)
    }

    /// The statement at `index` of `nodes` gets an empty block, so it raises no error of its own.
    mutating func giveEmptyBlock(at index: Int) {
        guard case .statement(var statement) = nodes[index] else { return }
        statement.block = []
        nodes[index] = .statement(statement)
    }

    mutating func pop() {
        var child = stack.removeLast()
        closePending(&child)
        let parent = stack.count - 1
        stack[parent].pending = nil
        // Without an opener the lines simply stay where they are, in the parent's run.
        guard child.openerIndex >= 0, case .statement(var owner) = nodes[child.openerIndex] else { return }
        // With the statement out of `nodes`, `owner` is its only holder, and takes its
        // block in place.
        nodes[child.openerIndex] = .blank(owner.line)
        owner.block = Array(nodes[child.base...])
        nodes.removeSubrange(child.base...)
        nodes[child.openerIndex] = .statement(owner)
    }

    /// Adds a line's node (taken, not copied: it is kept in `nodes`).
    mutating func append(_ node: consuming Node, at index: Int) {
        // Lines are only ever added to the innermost open block, the end of `nodes`.
        assert(index == stack.count - 1)
        let owner = stack[index].owner
        let depth = stack[index].depth
        let followsIfOrElif = stack[index].lastWasIfOrElif
        switch node {
        case .statement(let statement):
            switch statement.kind {
            case .elif, .else:
                guard followsIfOrElif else {
                    appendOrphan(statement, at: index)
                    return
                }
            default:
                break
            }
            check(statement, owner: owner, depth: depth)
            switch statement.kind {
            case .if, .elif, .malformed(keyword: "if"), .malformed(keyword: "elif"): stack[index].lastWasIfOrElif = true
            default: stack[index].lastWasIfOrElif = false
            }
            stack[index].pending = statement.block == nil
                ? Pending(index: nodes.count, opens: opensBlock(statement),
                          needsBlock: statement.takesBlock && !statement.isOption)
                : nil
        case .prose(let prose):
            if owner == .choose {
                reader.report(.notAnOption,
                              "only options (`- Label`) may stand directly under `@choose`", prose.line.content)
            }
            stack[index].lastWasIfOrElif = false
            stack[index].pending = nil
        case .invalid:
            stack[index].lastWasIfOrElif = false
            stack[index].pending = nil
        case .blank, .comment:
            break
        }
        nodes.append(node)
    }

    /// An `@elif` or `@else` that follows no `@if`: reported, and kept as a statement that
    /// could not be read (its block is still checked).
    mutating func appendOrphan(_ statement: Statement, at index: Int) {
        reader.report(.elseWithoutIf,
                      "`@\(statement.keyword)` must follow an `@if` or `@elif` block at the same indentation",
                      statement.keywordRange)
        var statement = statement
        statement.kind = .malformed(keyword: statement.keyword)
        append(.statement(statement), at: index)
    }

    /// Where a statement may stand: sections and includes at the top level, only options
    /// under `@choose`, only prose under `@reflect`.
    mutating func check(_ statement: Statement, owner: OwnerKind, depth: Int) {
        switch statement.kind {
        case .section, .include:
            if depth > 0 {
                reader.report(.notAtTopLevel,
                              "`@\(statement.keyword)` belongs at the top level, not inside a block",
                              statement.keywordRange)
            }
        default:
            break
        }
        // (An option with no label is an option still; its own error says so.)
        if owner == .choose, !statement.isOption, statement.keyword != "-" {
            reader.report(.notAnOption,
                          "only options (`- Label`) may stand directly under `@choose`",
                          statement.line.content)
        }
        if owner == .reflect {
            reader.report(.proseOnly, "`@reflect` holds prose only; move this statement out of it",
                          statement.keywordRange)
        }
    }

    // MARK: Trivia

    /// Blank and comment lines wait until the next line shows where they belong: inside a
    /// block that opens, or (for a comment less indented than a block that is ending)
    /// after it. Their order is never changed, so the tree still prints back exactly.
    mutating func flushTrivia(into index: Int) {
        for line in trivia { appendTrivia(line, at: index) }
        trivia.removeAll(keepingCapacity: true)
    }

    /// A blank, comment or unreadable line; an unreadable one ends what came before it.
    mutating func appendTrivia(_ line: FileReader.RawLine, at index: Int) {
        if !line.isValidUTF8 { stack[index].pending = nil }
        nodes.append(triviaNode(line))
    }

    mutating func flushTrivia(beforeIndent nextIndent: Int, final: Bool) {
        guard !trivia.isEmpty else { return }
        // (Emptied only when not empty already: emptying an array costs a call either way.)
        if !blanks.isEmpty { blanks.removeAll(keepingCapacity: true) }
        for line in trivia {
            if line.isComment {
                while stack.count > 1, line.info.indent < stack[stack.count - 1].indent,
                      final || nextIndent < stack[stack.count - 1].indent {
                    pop()
                }
                if !blanks.isEmpty {
                    for blank in blanks { appendTrivia(blank, at: stack.count - 1) }
                    blanks.removeAll(keepingCapacity: true)
                }
                appendTrivia(line, at: stack.count - 1)
            } else {
                blanks.append(line)
            }
        }
        trivia.removeAll(keepingCapacity: true)
        if !blanks.isEmpty {
            while stack.count > 1, final || nextIndent < stack[stack.count - 1].indent { pop() }
            for blank in blanks { appendTrivia(blank, at: stack.count - 1) }
        }
    }

    func triviaNode(_ line: FileReader.RawLine) -> Node {
        if !line.isValidUTF8 { return .invalid(line.info) }
        return line.isComment ? .comment(line.info) : .blank(line.info)
    }

    // MARK: One line

    mutating func parseLine(_ line: FileReader.RawLine) -> Node {
        guard line.isValidUTF8 else { return .invalid(line.info) }
        let inChoose = stack[stack.count - 1].owner == .choose
        statementParser.start(line.info)
        let node = statementParser.parse(inChoose: inChoose)
        // Past the cap more diagnostics help no one (and a file of a million bad lines
        // would otherwise hold a million of them).
        if !statementParser.diagnostics.isEmpty, reader.diagnostics.count < Checker.maximumDiagnostics {
            reader.diagnostics.append(contentsOf: statementParser.diagnostics)
        }
        return node
    }
}
