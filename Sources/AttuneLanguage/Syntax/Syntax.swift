/// The syntax tree of one exercise file.
///
/// Every physical line of the file belongs to exactly one node (a header line, the `---`,
/// a statement, a prose line, an option, a comment, a blank line, or a line that could not
/// be read), and each node keeps the byte range of its whole line including the line break.
/// Walking the tree in order and printing each node's line therefore gives back the file
/// byte for byte (``SyntaxTree/printedSource()``); the formatter stands on that.
public struct SyntaxTree: Sendable {
    public let source: SourceFile
    public var header: Header
    public var body: [Node]
    /// Problems found while reading the file (syntax only; the checker adds the rest).
    public var diagnostics: [Diagnostic]
}

/// The physical line a node stands on.
public struct LineInfo: Hashable, Sendable {
    /// 1-based line number.
    @Compact public var number: Int
    /// The whole line, including its line break if it has one.
    public var range: SourceRange
    /// The line without its indentation and line break.
    public var content: SourceRange
    /// Leading spaces (tabs count as one column each, after their error).
    @Compact public var indent: Int
}

// MARK: - Header

public struct Header: Sendable {
    public enum Line: Sendable {
        case field(HeaderField)
        case blank(LineInfo)
        case comment(LineInfo)
        /// A line that is not `key: value`.
        case invalid(LineInfo)

        public var line: LineInfo {
            switch self {
            case .field(let field): field.line
            case .blank(let line), .comment(let line), .invalid(let line): line
            }
        }
    }

    public var lines: [Line]
    /// The `---` line; nil when the file has none.
    public var separator: LineInfo?

    public var fields: [HeaderField] {
        lines.compactMap { if case .field(let field) = $0 { field } else { nil } }
    }

    public func value(_ key: String) -> String? {
        fields.first { $0.key == key }?.value
    }
}

public struct HeaderField: Sendable {
    public var line: LineInfo
    public var key: String
    public var keyRange: SourceRange
    /// The value with surrounding spaces removed; plain text.
    public var value: String
    public var valueRange: SourceRange

    /// The keys attune knows, in the formatter's order.
    public static let knownKeys = ["title", "summary", "tags", "source", "caution"]
}

// MARK: - Body

public enum Node: Sendable {
    // Prose is boxed and a statement is one reference, so a node takes little more room
    // than a line's numbers (a file of a million blank lines stays small).
    case blank(LineInfo)
    case comment(LineInfo)
    indirect case prose(Prose)
    case statement(Statement)
    /// A line that could not be read at all (its diagnostic says why).
    case invalid(LineInfo)

    public var line: LineInfo {
        switch self {
        case .blank(let line), .comment(let line), .invalid(let line): line
        case .prose(let prose): prose.line
        case .statement(let statement): statement.line
        }
    }
}

/// One line of prose. Consecutive prose lines form a paragraph (joined with single spaces);
/// a blank line or a statement ends it, a comment does not.
public struct Prose: Sendable {
    public var line: LineInfo
    public var text: Template
}

/// Text with `{name}` and `{last.name}` insertions, escapes already resolved.
public struct Template: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        case variable(VariableReference)
    }

    /// How a part is kept. Text that reads exactly as the file's bytes (no escapes) is kept
    /// as their range and made into a string only when asked for: the program joins a
    /// paragraph's lines straight from the file's bytes, so most prose never needs one.
    enum Piece: Sendable {
        case source(SourceRange)
        case text(String)
        case variable(VariableReference)
    }

    /// The text, when it is one run of the file's bytes (as most prose lines and prompts
    /// are): kept without an array. Nil when ``stored`` holds the pieces.
    private(set) var plain: SourceRange?
    private var stored: [Piece]
    /// The bytes that `.source` pieces index (the file's, shared, not copied).
    let file: [UInt8]
    public var range: SourceRange

    public init(parts: [Part], range: SourceRange) {
        self.stored = parts.map(Piece.init)
        self.file = []
        self.range = range
    }

    init(pieces: [Piece], file: [UInt8], range: SourceRange) {
        self.stored = pieces
        self.file = file
        self.range = range
    }

    /// Text that is the file's bytes in `text` (not empty), and nothing else.
    init(plain text: SourceRange, file: [UInt8], range: SourceRange) {
        self.plain = text
        self.stored = []
        self.file = file
        self.range = range
    }

    var pieces: [Piece] {
        if let plain { return [.source(plain)] }
        return stored
    }

    var pieceCount: Int { plain == nil ? stored.count : 1 }

    public var parts: [Part] {
        get { pieces.map(part) }
        set {
            plain = nil
            stored = newValue.map(Piece.init)
        }
    }

    private func part(_ piece: Piece) -> Part {
        switch piece {
        case .source(let range): .text(String(decoding: file[range.start..<range.end], as: UTF8.self))
        case .text(let text): .text(text)
        case .variable(let reference): .variable(reference)
        }
    }

    public var variables: [VariableReference] {
        pieces.compactMap { if case .variable(let reference) = $0 { reference } else { nil } }
    }

    /// The text with each insertion shown as `{name}`.
    public var displayText: String {
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .variable(let reference): result += "{\(reference.displayName)}"
            }
        }
        return result
    }

    // Two templates are equal when they read the same, however their text is kept.
    public static func == (lhs: Template, rhs: Template) -> Bool {
        lhs.range == rhs.range && lhs.parts == rhs.parts
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(range)
        hasher.combine(parts)
    }
}

extension Template.Piece {
    init(_ part: Template.Part) {
        switch part {
        case .text(let text): self = .text(text)
        case .variable(let reference): self = .variable(reference)
        }
    }
}

/// A use of a variable: `name` or `last.name`.
public struct VariableReference: Sendable, Hashable {
    public var name: String
    public var isLast: Bool
    public var range: SourceRange

    public var displayName: String { isLast ? "last.\(name)" : name }
}

/// A name where a variable is assigned (`@ask name …`, `@set name = …`).
public struct Name: Sendable, Hashable {
    public var text: String
    public var range: SourceRange
}

/// A duration, kept exactly: whole nanoseconds (at most 24h, so it fits easily).
public struct Duration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public static func seconds(_ seconds: Int64) -> Duration { Duration(nanoseconds: seconds * 1_000_000_000) }
    public static func milliseconds(_ ms: Int64) -> Duration { Duration(nanoseconds: ms * 1_000_000) }
    public static let zero = Duration(nanoseconds: 0)
    public static let maximum = Duration.seconds(24 * 3600)

    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (lhs: Duration, rhs: Duration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    public static func + (lhs: Duration, rhs: Duration) -> Duration {
        Duration(nanoseconds: lhs.nanoseconds &+ rhs.nanoseconds)
    }
    public static func - (lhs: Duration, rhs: Duration) -> Duration {
        Duration(nanoseconds: lhs.nanoseconds &- rhs.nanoseconds)
    }

    /// The canonical form, as the formatter writes it: largest unit first, each part whole
    /// where it can be (`90s` is `1m30s`, `1500ms` is `1.5s`).
    public var description: String { DurationSyntax.canonical(self) }
}

public struct DurationLiteral: Sendable, Hashable {
    public var value: Duration
    public var range: SourceRange
}

public enum BreathPhaseKind: String, Sendable, Hashable, CaseIterable {
    case inhale = "in"
    case hold
    case exhale = "out"

    /// The phase spelt by `range` of `bytes` (no list of cases made).
    static func named(_ bytes: SourceBytes, _ range: SourceRange) -> BreathPhaseKind? {
        if bytes.spell("in", in: range) { return .inhale }
        if bytes.spell("hold", in: range) { return .hold }
        if bytes.spell("out", in: range) { return .exhale }
        return nil
    }
}

public struct BreathPhase: Sendable, Hashable {
    public var kind: BreathPhaseKind
    public var duration: DurationLiteral
    public var range: SourceRange
}

public struct Statement: Sendable {
    /// The fields live in one object shared by every copy, so a statement costs one reference
    /// to copy (the checker looks at each statement several times, and copying the fields
    /// themselves would retain each of them). A change makes a new object, except a block
    /// given to a statement no copy shares (as the parser does when a block closes), which
    /// is set in place; statements change only while the parser builds them. The other
    /// fields are constants, so reading them needs no exclusivity check.
    private final class Storage: @unchecked Sendable {
        let line: LineInfo
        let keywordRange: SourceRange
        let kind: Kind
        // Set in place only while one statement holds the object (the parser giving a
        // statement its block when the block closes); after that no one changes it, so it is
        // as safe to share as the constants above, and needs no exclusivity check either.
        @exclusivity(unchecked) var block: [Node]?

        init(line: LineInfo, keywordRange: SourceRange, kind: Kind, block: [Node]?) {
            self.line = line
            self.keywordRange = keywordRange
            self.kind = kind
            self.block = block
        }
    }

    private var storage: Storage

    init(line: LineInfo, keywordRange: SourceRange, kind: Kind, block: [Node]?) {
        storage = Storage(line: line, keywordRange: keywordRange, kind: kind, block: block)
    }

    public var line: LineInfo {
        get { storage.line }
        set { storage = Storage(line: newValue, keywordRange: keywordRange, kind: kind, block: block) }
    }

    /// The `@word` (or the `-` of an option).
    public var keywordRange: SourceRange {
        get { storage.keywordRange }
        set { storage = Storage(line: line, keywordRange: newValue, kind: kind, block: block) }
    }

    public var kind: Kind {
        get { storage.kind }
        set { storage = Storage(line: line, keywordRange: keywordRange, kind: newValue, block: block) }
    }

    /// The indented lines under this statement; nil when there are none.
    public var block: [Node]? {
        get { storage.block }
        set {
            if isKnownUniquelyReferenced(&storage) {
                storage.block = newValue
            } else {
                storage = Storage(line: line, keywordRange: keywordRange, kind: kind, block: newValue)
            }
        }
    }

    public enum Kind: Sendable {
        case pause(DurationLiteral, caption: Template?)
        case breathe([BreathPhase])
        case bell
        case ask(Name, prompt: Template, multiline: Bool)
        case write(Name, prompt: Template, limit: DurationLiteral?)
        case rate(Name, prompt: Template, low: Int64, high: Int64, rangeRange: SourceRange)
        case choose(Name, prompt: Template)
        /// `- Label` or `- Label -> section`, directly under `@choose`.
        case option(label: String, labelRange: SourceRange, jump: Name?)
        case `if`(Expression)
        case elif(Expression)
        case `else`
        case set(Name, Expression)
        case repeatCount(Int64, countRange: SourceRange, saysTimes: Bool)
        case repeatFor(DurationLiteral)
        case section(Name)
        case goto(Name)
        case call(Name)
        case reflect
        case include(path: String, pathRange: SourceRange)
        case end
        /// A statement that could not be read (its diagnostic says why).
        case malformed(keyword: String)
    }

    /// Whether this kind of statement owns an indented block.
    public var takesBlock: Bool {
        switch kind {
        case .choose, .if, .elif, .else, .repeatCount, .repeatFor, .reflect: true
        case .option(_, _, let jump): jump == nil
        default: false
        }
    }

    public var isOption: Bool {
        if case .option = kind { return true }
        return false
    }

    public var keyword: String {
        switch kind {
        case .pause: "pause"
        case .breathe: "breathe"
        case .bell: "bell"
        case .ask: "ask"
        case .write: "write"
        case .rate: "rate"
        case .choose: "choose"
        case .option: "-"
        case .if: "if"
        case .elif: "elif"
        case .else: "else"
        case .set: "set"
        case .repeatCount, .repeatFor: "repeat"
        case .section: "section"
        case .goto: "goto"
        case .call: "call"
        case .reflect: "reflect"
        case .include: "include"
        case .end: "end"
        case .malformed(let keyword): keyword
        }
    }
}

// MARK: - Expressions

public enum Expression: Sendable, Hashable {
    // Only the cases that hold expressions are boxed: a number, a text or a name (most
    // expressions) is kept in place.
    case number(Int64, SourceRange)
    case text(String, SourceRange)
    case variable(VariableReference)
    indirect case negate(Expression, SourceRange)
    indirect case binary(BinaryOperator, Expression, Expression, SourceRange)
    indirect case not(Expression, SourceRange)
    indirect case parenthesized(Expression, SourceRange)

    public var range: SourceRange {
        switch self {
        case .number(_, let range), .text(_, let range), .negate(_, let range),
             .binary(_, _, _, let range), .not(_, let range), .parenthesized(_, let range):
            range
        case .variable(let reference):
            reference.range
        }
    }
}

public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+"
    case subtract = "-"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case and
    case or

    public var isArithmetic: Bool { self == .add || self == .subtract }
    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }
    public var isLogical: Bool { self == .and || self == .or }
}
