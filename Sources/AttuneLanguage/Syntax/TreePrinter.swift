extension SyntaxTree {
    /// Every line of the tree, in order: header lines, the separator, then the body depth
    /// first. Printing these lines gives back the file byte for byte.
    public var linesInOrder: [LineInfo] {
        var lines = header.lines.map(\.line)
        if let separator = header.separator { lines.append(separator) }
        var stack: [(nodes: [Node], position: Int)] = [(body, 0)]
        while !stack.isEmpty {
            let top = stack.count - 1
            guard stack[top].position < stack[top].nodes.count else {
                stack.removeLast()
                continue
            }
            let node = stack[top].nodes[stack[top].position]
            stack[top].position += 1
            lines.append(node.line)
            if case .statement(let statement) = node, let block = statement.block, !block.isEmpty {
                stack.append((block, 0))
            }
        }
        return lines
    }

    /// The file printed back from the tree; equal to the source's bytes.
    public func printedSource() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(source.bytes.count)
        let bytes = source.bytes
        for line in linesInOrder {
            out.append(contentsOf: bytes[line.range.start..<line.range.end])
        }
        return out
    }

    /// A readable dump of the tree with each node's range as `line:column-line:column`,
    /// for tests that compare a parse with what it should be.
    public func dump() -> String {
        var out = ""
        func range(_ range: SourceRange) -> String {
            let start = source.location(of: range.start)
            let end = source.location(of: range.end)
            return "\(start.line):\(start.column)-\(end.line):\(end.column)"
        }
        func template(_ template: Template) -> String {
            quoted(template.displayText)
        }
        for line in header.lines {
            switch line {
            case .field(let field):
                out += "header \(field.key) \(range(field.valueRange)) \(quoted(field.value))\n"
            case .blank(let info): out += "blank \(info.number)\n"
            case .comment(let info): out += "comment \(range(info.content))\n"
            case .invalid(let info): out += "invalid \(range(info.content))\n"
            }
        }
        if let separator = header.separator { out += "separator \(range(separator.content))\n" }
        func dumpNode(_ node: Node, depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            switch node {
            case .blank(let info): out += "\(indent)blank \(info.number)\n"
            case .comment(let info): out += "\(indent)comment \(range(info.content))\n"
            case .invalid(let info): out += "\(indent)invalid \(range(info.content))\n"
            case .prose(let prose): out += "\(indent)prose \(range(prose.line.content)) \(template(prose.text))\n"
            case .statement(let statement):
                out += "\(indent)\(describe(statement.kind, template: template)) \(range(statement.line.content))\n"
                for child in statement.block ?? [] { dumpNode(child, depth: depth + 1) }
            }
        }
        for child in body { dumpNode(child, depth: 0) }
        return out
    }

    private func describe(_ kind: Statement.Kind, template: (Template) -> String) -> String {
        switch kind {
        case .pause(let duration, let caption):
            return "pause \(duration.value)" + (caption.map { " " + template($0) } ?? "")
        case .breathe(let phases):
            return "breathe " + phases.map { "\($0.kind.rawValue) \($0.duration.value)" }.joined(separator: " ")
        case .bell: return "bell"
        case .ask(let name, let prompt, let multiline):
            return "ask \(name.text) \(template(prompt))" + (multiline ? " multiline" : "")
        case .write(let name, let prompt, let limit):
            return "write \(name.text) \(template(prompt))" + (limit.map { " for \($0.value)" } ?? "")
        case .rate(let name, let prompt, let low, let high, _):
            return "rate \(name.text) \(template(prompt)) \(low)..\(high)"
        case .choose(let name, let prompt): return "choose \(name.text) \(template(prompt))"
        case .option(let label, _, let jump):
            return "option \(quoted(label))" + (jump.map { " -> \($0.text)" } ?? "")
        case .if(let condition): return "if \(ExpressionPrinter.print(condition))"
        case .elif(let condition): return "elif \(ExpressionPrinter.print(condition))"
        case .else: return "else"
        case .set(let name, let value): return "set \(name.text) = \(ExpressionPrinter.print(value))"
        case .repeatCount(let count, _, _): return "repeat \(count)"
        case .repeatFor(let duration): return "repeat for \(duration.value)"
        case .section(let name): return "section \(name.text)"
        case .goto(let name): return "goto \(name.text)"
        case .call(let name): return "call \(name.text)"
        case .reflect: return "reflect"
        case .include(let path, _): return "include \(quoted(path))"
        case .end: return "end"
        case .malformed(let keyword): return "malformed @\(keyword)"
        }
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }
}

/// Prints an expression fully parenthesised, so a test shows how it was grouped.
public enum ExpressionPrinter {
    public static func print(_ expression: Expression) -> String {
        switch expression {
        case .number(let value, _): return String(value)
        case .text(let text, _):
            return "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
        case .variable(let reference): return reference.displayName
        case .negate(let operand, _): return "(-\(print(operand)))"
        case .not(let operand, _): return "(not \(print(operand)))"
        case .parenthesized(let inner, _): return print(inner)
        case .binary(let op, let left, let right, _): return "(\(print(left)) \(op.rawValue) \(print(right)))"
        }
    }
}

extension String {
    /// Replaces every occurrence (the standard library has no such method without Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
