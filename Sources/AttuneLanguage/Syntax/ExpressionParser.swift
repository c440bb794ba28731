/// Reads values (`@set`) and conditions (`@if`, `@elif`). From tightest: unary `-`; `+ -`;
/// comparisons; `not`; `and`; `or`.
///
///     or         := and ("or" and)*
///     and        := not ("and" not)*
///     not        := "not" not | comparison
///     comparison := additive (("==" | "!=" | "<" | "<=" | ">" | ">=") additive)?
///     additive   := unary (("+" | "-") unary)*
///     unary      := "-" unary | primary
///     primary    := number | "text" | name | "last." name | "(" or ")"
///
/// Deep nesting and long chains stop at fixed limits with `A037`, so no input can exhaust
/// the stack (here, or later when the tree is walked or freed).
struct ExpressionParser {
    static let maximumDepth = 64
    static let maximumNodes = 512

    private var cursor: Cursor
    private let path: String
    private var depth = 0
    private var nodes = 0
    private(set) var diagnostics: [Diagnostic] = []
    private var failed = false

    init(bytes: SourceBytes, range: SourceRange, path: String) {
        self.cursor = Cursor(bytes: bytes, range: range)
        self.path = path
    }

    /// Parses the whole range as one expression; nil after reporting a problem.
    mutating func parseAll() -> Expression? {
        guard !cursor.isDoneAfterSpaces() else {
            report(.badExpression, "a value or condition is missing here", SourceRange(cursor.position, cursor.position))
            return nil
        }
        let expression = parseOr()
        guard !failed, let expression else { return nil }
        if !cursor.isDoneAfterSpaces() {
            let start = cursor.position
            let token = cursor.token()
            report(.badExpression, "unexpected `\(text(token))` here", SourceRange(start, token.end))
            return nil
        }
        return expression
    }

    private func text(_ range: SourceRange) -> String {
        String(decoding: cursor.bytes[range.start..<range.end], as: UTF8.self)
    }

    private mutating func report(_ code: DiagnosticCode, _ message: String, _ range: SourceRange) {
        guard !failed else { return }
        failed = true
        diagnostics.append(Diagnostic(code, message, path: path, range: range))
    }

    private mutating func count() -> Bool {
        nodes += 1
        if nodes > Self.maximumNodes {
            report(.expressionTooDeep, "this expression is too long; split it with `@set` into smaller steps",
                   SourceRange(cursor.position, cursor.position))
            return false
        }
        return true
    }

    /// Consumes a keyword (`and`, `or`, `not`) only when it stands as a whole word.
    private mutating func keyword(_ word: StaticString) -> Bool {
        cursor.skipSpaces()
        // Most of the time the next byte already says it is not this word.
        guard cursor.peek() == word.utf8Start.pointee else { return false }
        return cursor.takeWord(word)
    }

    private mutating func parseOr() -> Expression? {
        guard var left = parseAnd() else { return nil }
        while !failed, keyword("or") {
            guard count(), let right = parseAnd() else { return nil }
            left = .binary(.or, left, right, left.range.union(right.range))
        }
        return left
    }

    private mutating func parseAnd() -> Expression? {
        guard var left = parseNot() else { return nil }
        while !failed, keyword("and") {
            guard count(), let right = parseNot() else { return nil }
            left = .binary(.and, left, right, left.range.union(right.range))
        }
        return left
    }

    private mutating func parseNot() -> Expression? {
        cursor.skipSpaces()
        let start = cursor.position
        if keyword("not") {
            guard enter(), count(), let operand = parseNot() else { return nil }
            depth -= 1
            return .not(operand, SourceRange(start, operand.range.end))
        }
        return parseComparison()
    }

    private mutating func parseComparison() -> Expression? {
        guard let left = parseAdditive() else { return nil }
        cursor.skipSpaces()
        guard let op = comparisonOperator() else { return left }
        guard count(), let right = parseAdditive() else { return nil }
        cursor.skipSpaces()
        if comparisonFollows() {
            report(.badExpression, "comparisons do not chain; join two with `and`",
                   SourceRange(cursor.position, cursor.position + 1))
            return nil
        }
        return .binary(op, left, right, left.range.union(right.range))
    }

    /// Whether a comparison operator comes next (`<`, `<=`, `>`, `>=`, `==`, `!=`), to refuse
    /// `a < b < c`. Looks without consuming.
    private func comparisonFollows() -> Bool {
        let next = cursor.peek()
        return next == 0x3C || next == 0x3E || (cursor.peek(1) == 0x3D && (next == 0x3D || next == 0x21))
    }

    private mutating func comparisonOperator() -> BinaryOperator? {
        guard let next = cursor.peek(), next == 0x3D || next == 0x21 || next == 0x3C || next == 0x3E else { return nil }
        if cursor.take("==") { return .equal }
        if cursor.take("!=") { return .notEqual }
        if cursor.take("<=") { return .lessOrEqual }
        if cursor.take(">=") { return .greaterOrEqual }
        if cursor.take("<") { return .less }
        if cursor.take(">") { return .greater }
        if cursor.peek() == 0x3D { // a single "=", or "=>" and "=<" the wrong way round
            switch cursor.peek(1) {
            case 0x3E:
                report(.badExpression, "`=>` is not an operator; for at least, write `>=`",
                       SourceRange(cursor.position, cursor.position + 2))
            case 0x3C:
                report(.badExpression, "`=<` is not an operator; for at most, write `<=`",
                       SourceRange(cursor.position, cursor.position + 2))
            default:
                report(.badExpression, "to compare, write `==`; to assign, use `@set`",
                       SourceRange(cursor.position, cursor.position + 1))
            }
        }
        return nil
    }

    private mutating func parseAdditive() -> Expression? {
        guard var left = parseUnary() else { return nil }
        while !failed {
            cursor.skipSpaces()
            let op: BinaryOperator
            if cursor.peek() == 0x2B { op = .add } else if cursor.peek() == 0x2D { op = .subtract } else { break }
            cursor.position += 1
            guard count(), let right = parseUnary() else { return nil }
            left = .binary(op, left, right, left.range.union(right.range))
        }
        return left
    }

    private mutating func enter() -> Bool {
        depth += 1
        if depth > Self.maximumDepth {
            report(.expressionTooDeep, "this expression is nested too deeply; split it with `@set`",
                   SourceRange(cursor.position, cursor.position + 1))
            return false
        }
        return true
    }

    private mutating func parseUnary() -> Expression? {
        cursor.skipSpaces()
        let start = cursor.position
        if cursor.peek() == 0x2D {
            cursor.position += 1
            guard enter(), count(), let operand = parseUnary() else { return nil }
            depth -= 1
            return .negate(operand, SourceRange(start, operand.range.end))
        }
        return parsePrimary()
    }

    private mutating func parsePrimary() -> Expression? {
        cursor.skipSpaces()
        let start = cursor.position
        guard let byte = cursor.peek() else {
            report(.badExpression, "a value is missing at the end", SourceRange(start, start))
            return nil
        }
        guard count() else { return nil }
        if byte == 0x28 { // (
            cursor.position += 1
            guard enter(), let inner = parseOr() else { return nil }
            depth -= 1
            cursor.skipSpaces()
            guard cursor.peek() == 0x29 else {
                report(.badExpression, "this `(` is never closed", SourceRange(start, start + 1))
                return nil
            }
            cursor.position += 1
            return .parenthesized(inner, SourceRange(start, cursor.position))
        }
        if byte.isASCIIDigit {
            var value: Int64 = 0
            var overflow = false
            while let digit = cursor.peek(), digit.isASCIIDigit {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int64(digit - 0x30))
                if o1 || o2 { overflow = true } else { value = plus }
                cursor.position += 1
            }
            let range = SourceRange(start, cursor.position)
            if let next = cursor.peek(), next.isASCIILetter || next == 0x2E {
                let token = cursor.token()
                report(.badExpression, "`\(text(SourceRange(start, token.end)))` is not a whole number",
                       SourceRange(start, token.end))
                return nil
            }
            if overflow {
                report(.numberTooLarge, "this number is too large (the largest is 9223372036854775807)", range)
                return nil
            }
            return .number(value, range)
        }
        if byte == 0x22 { // "
            // Plain text up to the closing quote is made into a string straight from the line.
            let close = cursor.bytes.firstIndex(from: start + 1, to: cursor.end, of: 0x22, 0x5C, 0x22, 0x5C)
            if close < cursor.end, cursor.bytes[close] == 0x22 {
                cursor.position = close + 1
                return .text(String(decoding: cursor.bytes[(start + 1)..<close], as: UTF8.self),
                             SourceRange(start, cursor.position))
            }
            var index = start + 1
            var value: [UInt8] = []
            while index < cursor.end {
                let current = cursor.bytes[index]
                if current == 0x22 { break }
                if current == 0x5C, index + 1 < cursor.end,
                   cursor.bytes[index + 1] == 0x22 || cursor.bytes[index + 1] == 0x5C {
                    value.append(cursor.bytes[index + 1])
                    index += 2
                    continue
                }
                value.append(current)
                index += 1
            }
            guard index < cursor.end else {
                report(.unterminatedString, "this text has no closing quote (`\"`)", SourceRange(start, cursor.end))
                return nil
            }
            cursor.position = index + 1
            return .text(String(decoding: value, as: UTF8.self), SourceRange(start, cursor.position))
        }
        let isLast = byte == 0x6C && cursor.take("last.")
        if !isLast, byte == 0x61 || byte == 0x6F || byte == 0x6E,
           cursor.takeWord("and") || cursor.takeWord("or") || cursor.takeWord("not") {
            let word = SourceRange(start, cursor.position)
            report(.badExpression, "a value is missing before `\(text(word))`", word)
            return nil
        }
        if let name = cursor.name(allowDash: false) {
            return .variable(VariableReference(name: name.text, isLast: isLast, range: SourceRange(start, name.range.end)))
        }
        cursor.position = start
        let token = cursor.token()
        let shown = token.isEmpty ? text(SourceRange(start, min(start + 1, cursor.end))) : text(token)
        report(.badExpression, "`\(shown)` is not a value; expected a number, \"text\" or a variable",
               SourceRange(start, max(token.end, start + 1)))
        return nil
    }
}
