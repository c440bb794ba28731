/// The canonical layout of an exercise file (`attune fmt`):
/// - header keys in the order title, summary, tags, source, caution, then the rest as
///   written, each comment kept above the key it stood above, no blank lines in the header;
/// - two spaces of indentation a block level, comments indented with their block;
/// - at most one blank line in a row, none at the start of a block or the end of the file;
/// - statements with single spaces between their parts, durations in canonical form
///   (`90s` is written `1m30s`), expressions with single spaces around operators;
/// - prose, comments, prompts and labels exactly as written (never reflowed), `\n` line
///   endings and a final newline.
/// Only a file without errors is formatted; the result parses to the same program.
public enum Formatter {
    public static func format(_ tree: SyntaxTree) -> String {
        var printer = Printer(source: tree.source)
        printer.header(tree.header)
        printer.block(tree.body, depth: 0)
        return printer.out
    }
}

private struct Printer {
    let source: SourceFile
    var out = ""
    var pendingBlank = false
    var wroteBody = false

    init(source: SourceFile) {
        self.source = source
    }

    func text(_ range: SourceRange) -> String { source.text(range) }

    mutating func header(_ header: Header) {
        // Each field carries the comments written directly above it.
        var fields: [(field: HeaderField, comments: [String])] = []
        var comments: [String] = []
        for line in header.lines {
            switch line {
            case .field(let field):
                fields.append((field, comments))
                comments = []
            case .comment(let info):
                comments.append(text(info.content))
            case .blank, .invalid:
                continue
            }
        }
        let order = HeaderField.knownKeys
        let known = order.flatMap { key in fields.filter { $0.field.key == key } }
        let rest = fields.filter { !order.contains($0.field.key) }
        for (field, above) in known + rest {
            for comment in above { out += comment + "\n" }
            out += field.value.isEmpty ? "\(field.key):\n" : "\(field.key): \(field.value)\n"
        }
        for comment in comments { out += comment + "\n" }
        out += "---\n"
    }

    mutating func line(_ content: String, depth: Int) {
        if pendingBlank && wroteBody { out += "\n" }
        pendingBlank = false
        wroteBody = true
        out += String(repeating: "  ", count: depth) + content + "\n"
    }

    mutating func block(_ nodes: [Node], depth: Int) {
        // Blank lines count only once the block has a line of its own: none at its start.
        var started = false
        for node in nodes {
            if case .blank = node {} else { started = true }
            switch node {
            case .blank:
                if started { pendingBlank = true }
            case .comment(let info):
                line(text(info.content), depth: depth)
            case .invalid(let info):
                line(text(info.content), depth: depth)
            case .prose(let prose):
                line(text(prose.line.content), depth: depth)
            case .statement(let statement):
                line(self.statement(statement), depth: depth)
                if let children = statement.block, !children.isEmpty {
                    pendingBlank = false // no blank line at the start of a block
                    block(children, depth: depth + 1)
                }
            }
        }
    }

    func statement(_ statement: Statement) -> String {
        switch statement.kind {
        case .pause(let duration, let caption):
            return "@pause \(duration.value)" + (caption.map { " " + text($0.range) } ?? "")
        case .breathe(let phases):
            return "@breathe " + phases.map { "\($0.kind.rawValue) \($0.duration.value)" }.joined(separator: " ")
        case .bell:
            return "@bell"
        case .ask(let name, let prompt, let multiline):
            return "@ask \(name.text) \(text(prompt.range))" + (multiline ? " multiline" : "")
        case .write(let name, let prompt, let limit):
            return "@write \(name.text) \(text(prompt.range))" + (limit.map { " for \($0.value)" } ?? "")
        case .rate(let name, let prompt, let low, let high, _):
            return "@rate \(name.text) \(text(prompt.range)) \(low)..\(high)"
        case .choose(let name, let prompt):
            return "@choose \(name.text) \(text(prompt.range))"
        case .option(_, let labelRange, let jump):
            return "- \(text(labelRange))" + (jump.map { " -> \($0.text)" } ?? "")
        case .if(let condition):
            return "@if \(expression(condition))"
        case .elif(let condition):
            return "@elif \(expression(condition))"
        case .else:
            return "@else"
        case .set(let name, let value):
            return "@set \(name.text) = \(expression(value))"
        case .repeatCount(let count, _, let saysTimes):
            return "@repeat \(count)" + (saysTimes ? " times" : "")
        case .repeatFor(let duration):
            return "@repeat for \(duration.value)"
        case .section(let name):
            return "@section \(name.text)"
        case .goto(let name):
            return "@goto \(name.text)"
        case .call(let name):
            return "@call \(name.text)"
        case .reflect:
            return "@reflect"
        case .include(_, let pathRange):
            return "@include \(text(pathRange))"
        case .end:
            return "@end"
        case .malformed:
            return text(statement.line.content)
        }
    }

    /// An expression with single spaces around operators and the parentheses as written.
    func expression(_ expression: Expression) -> String {
        switch expression {
        case .number(let value, _): return String(value)
        case .text(_, let range): return text(range)
        case .variable(let reference): return reference.displayName
        case .negate(let operand, _): return "-" + self.expression(operand)
        case .not(let operand, _): return "not " + self.expression(operand)
        case .parenthesized(let inner, _): return "(" + self.expression(inner) + ")"
        case .binary(let op, let left, let right, _):
            return "\(self.expression(left)) \(op.rawValue) \(self.expression(right))"
        }
    }
}
