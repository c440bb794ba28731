/// Reads one body line (without its indentation) into a node: a statement, an option or a
/// prose line. Each statement's doc line below quotes its form from LANGUAGE.md.
struct StatementParser {
    let bytes: SourceBytes
    /// The same bytes as an array, for templates to keep.
    let file: [UInt8]
    let path: String
    private(set) var line: LineInfo
    var diagnostics: [Diagnostic] = []
    private var cursor: Cursor

    /// The statement words, as written after `@`.
    enum Keyword: String, CaseIterable {
        case pause, breathe, bell, ask, write, rate, choose
        case `if`, elif, `else`, set
        case `repeat`, section, goto, call, reflect, include, end

        /// The keyword spelt by `range` of `bytes`: its bytes read as one number (none is
        /// longer than eight), so no string is made and no table is read.
        static func named(_ bytes: SourceBytes, _ range: SourceRange) -> Keyword? {
            guard range.count <= 8 else { return nil }
            var spelling: UInt64 = 0
            for index in range.start..<range.end { spelling = spelling << 8 | UInt64(bytes[index]) }
            return switch spelling {
            case 0x7061_7573_65: .pause
            case 0x6272_6561_7468_65: .breathe
            case 0x6265_6C6C: .bell
            case 0x6173_6B: .ask
            case 0x7772_6974_65: .write
            case 0x7261_7465: .rate
            case 0x6368_6F6F_7365: .choose
            case 0x6966: .if
            case 0x656C_6966: .elif
            case 0x656C_7365: .else
            case 0x7365_74: .set
            case 0x7265_7065_6174: .repeat
            case 0x7365_6374_696F_6E: .section
            case 0x676F_746F: .goto
            case 0x6361_6C6C: .call
            case 0x7265_666C_6563_74: .reflect
            case 0x696E_636C_7564_65: .include
            case 0x656E_64: .end
            default: nil
            }
        }
    }

    static let keywords = Keyword.allCases.map(\.rawValue)

    /// A parser for the lines of one file; ``start(_:)`` gives it each line in turn (one
    /// parser for them all: making one a line cost a retain and a release of each field).
    init(bytes: SourceBytes, file: [UInt8], path: String) {
        self.bytes = bytes
        self.file = file
        self.path = path
        self.line = LineInfo(number: 1, range: SourceRange(0, 0), content: SourceRange(0, 0), indent: 0)
        self.cursor = Cursor(bytes: bytes, range: line.content)
    }

    /// Moves on to another line of the same file.
    mutating func start(_ line: LineInfo) {
        self.line = line
        cursor = Cursor(bytes: bytes, range: line.content)
        if !diagnostics.isEmpty { diagnostics.removeAll(keepingCapacity: true) }
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, _ range: SourceRange) {
        diagnostics.append(Diagnostic(code, message, path: path, range: range))
    }

    mutating func parse(inChoose: Bool) -> Node {
        let content = line.content
        let first = bytes[content.start]
        if first == 0x40 { return .statement(statement()) }
        if inChoose, first == 0x2D, content.count == 1 || bytes[content.start + 1] == 0x20 {
            return .statement(option())
        }
        var templates = TemplateParser(bytes: bytes, file: file, path: path)
        let text = templates.prose(content)
        if !templates.diagnostics.isEmpty { diagnostics.append(contentsOf: templates.diagnostics) }
        return .prose(Prose(line: line, text: text))
    }

    private func text(_ range: SourceRange) -> String {
        String(decoding: bytes[range.start..<range.end], as: UTF8.self)
    }

    private func here() -> SourceRange { SourceRange(cursor.position, cursor.position) }

    // MARK: Statements

    private mutating func statement() -> Statement {
        let start = cursor.position
        cursor.position += 1
        while let byte = cursor.peek(), byte.isASCIILetter { cursor.position += 1 }
        let keywordRange = SourceRange(start, cursor.position)
        let wordRange = SourceRange(start + 1, cursor.position)
        // The word as text is made only for a statement that could not be read.
        func malformed() -> Statement {
            Statement(line: line, keywordRange: keywordRange, kind: .malformed(keyword: text(wordRange)), block: nil)
        }
        if let next = cursor.peek(), next != 0x20, next != 0x09 {
            let word = text(wordRange)
            // Something like `@pause5s` or `@ask:`: the word runs into other characters.
            let token = cursor.token()
            let shown = text(SourceRange(start, token.end))
            if Self.keywords.contains(word) {
                report(.malformedStatement, "put a space after `@\(word)`", SourceRange(keywordRange.end, keywordRange.end))
            } else {
                report(.unknownStatement, "`\(shown)` is not a statement\(suggestion(for: word))",
                       SourceRange(start, token.end))
            }
            return malformed()
        }
        guard let kind = statementKind(Keyword.named(bytes, wordRange), wordRange, keywordRange: keywordRange) else {
            return malformed()
        }
        return Statement(line: line, keywordRange: keywordRange, kind: kind, block: nil)
    }

    private func suggestion(for word: String) -> String {
        if word.isEmpty { return "; to begin a prose line with `@`, write `\\@`" }
        let lower = word.lowercased()
        if Self.keywords.contains(lower) { return "; statements are lower case: `@\(lower)`" }
        if lower.utf8.count <= EditDistance.maximumLength {
            let best = Self.keywords.map { ($0, EditDistance.between(lower, $0)) }.min { $0.1 < $1.1 }
            if let (keyword, distance) = best, distance <= max(1, keyword.count / 3) {
                return "; did you mean `@\(keyword)`?"
            }
        }
        return "; to begin a prose line with `@`, write `\\@`"
    }

    private mutating func statementKind(_ keyword: Keyword?, _ wordRange: SourceRange,
                                        keywordRange: SourceRange) -> Statement.Kind? {
        switch keyword {
        case .pause: return pause()
        case .breathe: return breathe()
        case .bell: return noArguments("bell", .bell)
        case .ask: return ask()
        case .write: return write()
        case .rate: return rate()
        case .choose: return choose()
        case .if: return condition("if").map { .if($0) }
        case .elif: return condition("elif").map { .elif($0) }
        case .else: return noArguments("else", .else)
        case .set: return set()
        case .repeat: return repeatStatement()
        case .section: return sectionName("section").map { .section($0) }
        case .goto: return sectionName("goto").map { .goto($0) }
        case .call: return sectionName("call").map { .call($0) }
        case .reflect: return noArguments("reflect", .reflect)
        case .include: return include()
        case .end: return noArguments("end", .end)
        case nil:
            let word = text(wordRange)
            let shown = word.isEmpty ? "`@`" : "`@\(word)`"
            report(.unknownStatement, "\(shown) is not a statement\(suggestion(for: word))", keywordRange)
            return nil
        }
    }

    /// Reports anything left on the line after a complete statement.
    private mutating func expectEnd(_ keyword: String) -> Bool {
        guard !cursor.isDoneAfterSpaces() else { return true }
        let start = cursor.position
        let rest = cursor.rest()
        report(.malformedStatement, "unexpected `\(text(rest))` after `@\(keyword)`", SourceRange(start, rest.end))
        return false
    }

    private mutating func noArguments(_ keyword: String, _ kind: Statement.Kind) -> Statement.Kind? {
        expectEnd(keyword) ? kind : nil
    }

    /// A duration token, such as `4s` or `1m30s`.
    private mutating func duration(for keyword: @autoclosure () -> String, example: @autoclosure () -> String) -> DurationLiteral? {
        guard !cursor.isDoneAfterSpaces() else {
            report(.malformedStatement, "`\(keyword())` needs a duration, as in `\(example())`", here())
            return nil
        }
        let token = cursor.token()
        switch DurationSyntax.parse(bytes, token) {
        case .success(let value): return DurationLiteral(value: value, range: token)
        case .failure(let error):
            report(.badDuration, "`\(text(token))` is not a duration: \(error.message)", token)
            return nil
        }
    }

    /// A quoted prompt or caption, interpolated like prose.
    private mutating func prompt(for keyword: String, what: String = "prompt") -> Template? {
        guard !cursor.isDoneAfterSpaces() else {
            report(.malformedStatement, "`@\(keyword)` needs a \(what) in double quotes", here())
            return nil
        }
        guard cursor.peek() == 0x22 else {
            let start = cursor.position
            let rest = cursor.rest()
            // What follows the prompt (a rating's range, `multiline`, `for 5m`) stays outside
            // the quotes in the suggestion.
            var words = text(rest).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            var tail: [String] = []
            switch keyword {
            case "rate" where words.count > 1 && words[words.count - 1].contains(".."):
                tail = [words.removeLast()]
            case "ask" where words.count > 1 && words[words.count - 1] == "multiline":
                tail = [words.removeLast()]
            case "write" where words.count > 2 && words[words.count - 2] == "for":
                tail = Array(words.suffix(2))
                words.removeLast(2)
            default:
                break
            }
            let suggestion = "\"\(words.joined(separator: " "))\"" + tail.map { " " + $0 }.joined()
            report(.unquotedPrompt, "put the \(what) in double quotes: `\(suggestion)`", SourceRange(start, rest.end))
            return nil
        }
        var templates = TemplateParser(bytes: bytes, file: file, path: path)
        let result = templates.quoted(at: cursor.position, lineEnd: cursor.end)
        if !templates.diagnostics.isEmpty { diagnostics.append(contentsOf: templates.diagnostics) }
        guard let result else {
            cursor.position = cursor.end
            return nil
        }
        cursor.position = result.end
        if let next = cursor.peek(), next != 0x20, next != 0x09 {
            report(.malformedStatement, "put a space after the closing quote", here())
            return nil
        }
        return result.template
    }

    /// A variable name being assigned.
    private mutating func variableName(for keyword: String) -> Name? {
        guard !cursor.isDoneAfterSpaces() else {
            report(.malformedStatement, "`@\(keyword)` needs a variable name first, as in `@\(keyword) feeling`", here())
            return nil
        }
        let start = cursor.position
        if let name = cursor.name(allowDash: false), cursor.atEnd || cursor.peek() == 0x20 || cursor.peek() == 0x09 {
            return name
        }
        cursor.position = start
        let token = cursor.token()
        if bytes[start] == 0x22 {
            report(.malformedStatement, "`@\(keyword)` needs a variable name before the prompt, as in `@\(keyword) feeling \"…\"`",
                   SourceRange(start, start))
        } else {
            report(.badName, "`\(text(token))` is not a variable name: use letters, digits and `_`, starting with a letter", token)
        }
        return nil
    }

    /// `@pause D ["caption"]`
    private mutating func pause() -> Statement.Kind? {
        guard let duration = duration(for: "@pause", example: "@pause 5s") else { return nil }
        var caption: Template?
        if !cursor.isDoneAfterSpaces() {
            guard let text = prompt(for: "pause", what: "caption") else { return nil }
            caption = text
        }
        return expectEnd("pause") ? .pause(duration, caption: caption) : nil
    }

    /// `@breathe P D [P D ...]`
    private mutating func breathe() -> Statement.Kind? {
        var phases: [BreathPhase] = []
        phases.reserveCapacity(4)
        while !cursor.isDoneAfterSpaces() {
            let token = cursor.token()
            guard let kind = BreathPhaseKind.named(bytes, token) else {
                let word = text(token)
                if DurationSyntax.parse(bytes, token).isSuccess || (bytes[token.start].isASCIIDigit) {
                    report(.malformedStatement, "each duration follows a phase, as in `in 4s`", token)
                } else {
                    report(.unknownBreathPhase, "`\(word)` is not a breath phase; use `in`, `hold` or `out`", token)
                }
                return nil
            }
            guard let duration = duration(for: kind.rawValue, example: "\(kind.rawValue) 4s") else { return nil }
            phases.append(BreathPhase(kind: kind, duration: duration, range: token.union(duration.range)))
        }
        guard !phases.isEmpty else {
            report(.malformedStatement, "`@breathe` needs at least one phase, as in `@breathe in 4s out 6s`", here())
            return nil
        }
        return .breathe(phases)
    }

    /// `@ask v "prompt" [multiline]`
    private mutating func ask() -> Statement.Kind? {
        guard let name = variableName(for: "ask"), let prompt = prompt(for: "ask") else { return nil }
        var multiline = false
        if !cursor.isDoneAfterSpaces() {
            let token = cursor.token()
            guard bytes.spell("multiline", in: token) else {
                report(.malformedStatement, "after the prompt, `@ask` takes only `multiline`", token)
                return nil
            }
            multiline = true
        }
        return expectEnd("ask") ? .ask(name, prompt: prompt, multiline: multiline) : nil
    }

    /// `@write v "prompt" [for D]`
    private mutating func write() -> Statement.Kind? {
        guard let name = variableName(for: "write"), let prompt = prompt(for: "write") else { return nil }
        var limit: DurationLiteral?
        if !cursor.isDoneAfterSpaces() {
            let token = cursor.token()
            guard bytes.spell("for", in: token) else {
                report(.malformedStatement, "after the prompt, `@write` takes only `for` and a duration, as in `for 15m`", token)
                return nil
            }
            guard let duration = duration(for: "for", example: "for 15m") else { return nil }
            limit = duration
        }
        return expectEnd("write") ? .write(name, prompt: prompt, limit: limit) : nil
    }

    /// `@rate v "prompt" LO..HI`
    private mutating func rate() -> Statement.Kind? {
        guard let name = variableName(for: "rate"), let prompt = prompt(for: "rate") else { return nil }
        guard !cursor.isDoneAfterSpaces() else {
            report(.malformedStatement, "`@rate` needs a range after the prompt, as in `0..10`", here())
            return nil
        }
        let token = cursor.token()
        var rangeCursor = Cursor(bytes: bytes, range: token)
        guard let low = integer(&rangeCursor), rangeCursor.take(".."), let high = integer(&rangeCursor),
              rangeCursor.atEnd else {
            if !diagnostics.contains(where: { $0.code == .numberTooLarge }) {
                report(.malformedStatement, "`\(text(token))` is not a range; write it as `LO..HI`, such as `0..10`", token)
            }
            return nil
        }
        guard low < high else {
            report(.badRange, "the range `\(text(token))` is empty; the low end must be less than the high end", token)
            return nil
        }
        return expectEnd("rate") ? .rate(name, prompt: prompt, low: low, high: high, rangeRange: token) : nil
    }

    /// A whole number, possibly negative.
    private mutating func integer(_ cursor: inout Cursor) -> Int64? {
        let start = cursor.position
        let negative = cursor.take("-")
        guard let first = cursor.peek(), first.isASCIIDigit else { return nil }
        var value: Int64 = 0
        var overflow = false
        while let digit = cursor.peek(), digit.isASCIIDigit {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(Int64(digit - 0x30))
                : times.addingReportingOverflow(Int64(digit - 0x30))
            if o1 || o2 { overflow = true } else { value = next }
            cursor.position += 1
        }
        if overflow {
            report(.numberTooLarge, "this number does not fit in 64 bits", SourceRange(start, cursor.position))
            return nil
        }
        return value
    }

    /// `@choose v "prompt"`
    private mutating func choose() -> Statement.Kind? {
        guard let name = variableName(for: "choose"), let prompt = prompt(for: "choose") else { return nil }
        return expectEnd("choose") ? .choose(name, prompt: prompt) : nil
    }

    /// `@if COND` / `@elif COND`
    private mutating func condition(_ keyword: String) -> Expression? {
        guard !cursor.isDoneAfterSpaces() else {
            report(.malformedStatement, "`@\(keyword)` needs a condition, as in `@\(keyword) after < before`", here())
            return nil
        }
        var parser = ExpressionParser(bytes: bytes, range: SourceRange(cursor.position, cursor.end), path: path)
        let expression = parser.parseAll()
        if !parser.diagnostics.isEmpty { diagnostics.append(contentsOf: parser.diagnostics) }
        guard let expression else { return nil }
        return ExpressionShape.checkCondition(expression, path: path, into: &diagnostics) ? expression : nil
    }

    /// `@set v = EXPR`
    private mutating func set() -> Statement.Kind? {
        guard let name = variableName(for: "set") else { return nil }
        cursor.skipSpaces()
        let equals = here()
        guard cursor.take("="), cursor.peek() != 0x3D else {
            report(.malformedStatement, "write `@set \(name.text) = value`", equals)
            return nil
        }
        var parser = ExpressionParser(bytes: bytes, range: SourceRange(cursor.position, cursor.end), path: path)
        let expression = parser.parseAll()
        if !parser.diagnostics.isEmpty { diagnostics.append(contentsOf: parser.diagnostics) }
        guard let expression else { return nil }
        guard ExpressionShape.checkValue(expression, path: path, into: &diagnostics) else { return nil }
        return .set(name, expression)
    }

    /// `@repeat N` / `@repeat N times` / `@repeat for D`
    private mutating func repeatStatement() -> Statement.Kind? {
        guard !cursor.isDoneAfterSpaces() else {
            report(.malformedStatement, "`@repeat` needs a count or a duration, as in `@repeat 4` or `@repeat for 5m`", here())
            return nil
        }
        if cursor.take("for ") || cursor.take("for\t") {
            guard let duration = duration(for: "@repeat for", example: "@repeat for 5m") else { return nil }
            return expectEnd("repeat") ? .repeatFor(duration) : nil
        }
        let token = cursor.token()
        var countCursor = Cursor(bytes: bytes, range: token)
        guard let count = integer(&countCursor), countCursor.atEnd else {
            if DurationSyntax.parse(bytes, token).isSuccess {
                report(.malformedStatement, "to repeat for a time, write `@repeat for \(text(token))`", token)
            } else if !diagnostics.contains(where: { $0.code == .numberTooLarge }) {
                report(.malformedStatement, "`@repeat` takes a count (`@repeat 4`) or a time (`@repeat for 5m`)", token)
            }
            return nil
        }
        guard (1...10_000).contains(count) else {
            report(.badRange, "`@repeat` runs 1 to 10,000 times, not \(count)", token)
            return nil
        }
        var saysTimes = false
        if !cursor.isDoneAfterSpaces() {
            let before = cursor.position
            let word = cursor.token()
            if bytes.spell("times", in: word) {
                saysTimes = true
            } else if word.count <= 8, cursor.isDoneAfterSpaces(),
                      EditDistance.closest(to: text(word).lowercased(), in: ["times"]) != nil {
                report(.malformedStatement, "unexpected `\(text(word))` after `@repeat \(count)`; did you mean `times`?", word)
                return nil
            } else {
                cursor.position = before
            }
        }
        return expectEnd("repeat") ? .repeatCount(count, countRange: token, saysTimes: saysTimes) : nil
    }

    /// `@section name`, `@goto name`, `@call name`
    private mutating func sectionName(_ keyword: String) -> Name? {
        guard !cursor.isDoneAfterSpaces() else {
            report(.malformedStatement, "`@\(keyword)` needs a section name, as in `@\(keyword) closing`", here())
            return nil
        }
        let start = cursor.position
        guard let name = cursor.name(allowDash: true), cursor.atEnd || cursor.peek() == 0x20 || cursor.peek() == 0x09 else {
            cursor.position = start
            let token = cursor.token()
            report(.badName, "`\(text(token))` is not a section name: use letters, digits, `_` and `-`, starting with a letter", token)
            return nil
        }
        return expectEnd(keyword) ? name : nil
    }

    /// `@include "path.attune"`
    private mutating func include() -> Statement.Kind? {
        guard !cursor.isDoneAfterSpaces() else {
            report(.malformedStatement, "`@include` needs a file path in double quotes", here())
            return nil
        }
        guard cursor.peek() == 0x22 else {
            let start = cursor.position
            let rest = cursor.rest()
            report(.unquotedPrompt, "put the path in double quotes: `\"\(text(rest))\"`", SourceRange(start, rest.end))
            return nil
        }
        let start = cursor.position
        var index = start + 1
        var value: [UInt8] = []
        while index < cursor.end, bytes[index] != 0x22 {
            if bytes[index] == 0x5C, index + 1 < cursor.end, bytes[index + 1] == 0x22 || bytes[index + 1] == 0x5C {
                index += 1
            }
            value.append(bytes[index])
            index += 1
        }
        guard index < cursor.end else {
            report(.unterminatedString, "this path has no closing quote (`\"`)", SourceRange(start, cursor.end))
            return nil
        }
        cursor.position = index + 1
        guard !value.isEmpty else {
            report(.malformedStatement, "the path is empty", SourceRange(start, cursor.position))
            return nil
        }
        let pathRange = SourceRange(start, cursor.position)
        return expectEnd("include") ? .include(path: String(decoding: value, as: UTF8.self), pathRange: pathRange) : nil
    }

    // MARK: Options

    /// `- Label` or `- Label -> section`, directly under `@choose`.
    private mutating func option() -> Statement {
        let dash = SourceRange(cursor.position, cursor.position + 1)
        cursor.position += 1
        cursor.skipSpaces()
        var labelRange = cursor.rest()
        var jump: Name?
        // The jump is the last ` -> name` on the line.
        var index = labelRange.end - 2
        while index > labelRange.start {
            if bytes[index] == 0x2D, bytes[index + 1] == 0x3E, bytes[index - 1] == 0x20 {
                var target = Cursor(bytes: bytes, range: SourceRange(index + 2, labelRange.end))
                target.skipSpaces()
                let targetStart = target.position
                if let name = target.name(allowDash: true), target.atEnd {
                    jump = name
                } else {
                    let shown = text(SourceRange(targetStart, labelRange.end))
                    report(.badName, shown.isEmpty ? "`->` needs a section name after it"
                        : "`\(shown)` is not a section name: use letters, digits, `_` and `-`, starting with a letter",
                        SourceRange(targetStart, max(targetStart, labelRange.end)))
                }
                var labelEnd = index - 1
                while labelEnd > labelRange.start, bytes[labelEnd - 1] == 0x20 { labelEnd -= 1 }
                labelRange = SourceRange(labelRange.start, labelEnd)
                break
            }
            index -= 1
        }
        if jump == nil, labelRange.end - labelRange.start > 2 {
            // `- Breathe->calm`: an arrow with no space before it is part of the label; say
            // so when what follows it could be a section.
            var arrow = labelRange.start + 1
            while arrow + 1 < labelRange.end {
                if bytes[arrow] == 0x2D, bytes[arrow + 1] == 0x3E {
                    var target = Cursor(bytes: bytes, range: SourceRange(arrow + 2, labelRange.end))
                    target.skipSpaces()
                    if let name = target.name(allowDash: true), target.atEnd {
                        let label = text(SourceRange(labelRange.start, arrow))
                        report(.labelLooksLikeJump, "this option's label holds `->`, so it does not jump; to jump, "
                            + "put a space before the arrow: `- \(label) -> \(name.text)`", SourceRange(arrow, arrow + 2))
                    }
                    break
                }
                arrow += 1
            }
        }
        var statement = Statement(line: line, keywordRange: dash,
                                  kind: .option(label: text(labelRange), labelRange: labelRange, jump: jump), block: nil)
        if labelRange.isEmpty {
            report(.malformedStatement, "this option needs a label after `- `", SourceRange(labelRange.start, labelRange.start))
            statement.kind = .malformed(keyword: "-")
        }
        return statement
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}

/// Edit distance for "did you mean" suggestions.
public enum EditDistance {
    /// Names longer than this get no suggestion (the distance costs length squared).
    static let maximumLength = 64

    /// The candidate closest to `name`, if it is close enough to be a likely misspelling.
    public static func closest(to name: String, in candidates: [String]) -> String? {
        let length = name.unicodeScalars.count
        guard length <= maximumLength else { return nil }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = candidate.unicodeScalars.count
            // Two edits turn any short name into any other (`zz` into `q`): names of three
            // letters or fewer get a suggestion only one edit away.
            let allowed = min(length, other) <= 3 ? 1 : max(2, other / 3)
            // The distance is at least the difference in length.
            guard other <= maximumLength, abs(other - length) <= allowed else { continue }
            let distance = between(name, candidate, limit: allowed)
            if distance <= allowed, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// The edit distance, counting a swap of two neighbouring characters as one edit (the
    /// optimal string alignment distance: `puase` is one edit from `pause`). Past `limit` it
    /// stops early and returns `limit + 1`.
    public static func between(_ a: String, _ b: String, limit: Int = .max) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = previous
        var previousMinimum = 0
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = Swift.min(best, beforePrevious[j - 2] + 1)
                }
                current[j] = best
                rowMinimum = Swift.min(rowMinimum, best)
            }
            // Later rows are at least this row's minimum, or the row before's plus one (a
            // swap reaches back a row): past both, the limit cannot be met.
            if rowMinimum > limit, previousMinimum >= limit { return limit &+ 1 }
            previousMinimum = rowMinimum
            swap(&beforePrevious, &previous)
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
