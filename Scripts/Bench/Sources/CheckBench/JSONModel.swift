import AttuneLanguage

/// The same content as a generated exercise, as structs that Foundation's `JSONDecoder`
/// fills: the header, and every line of the body with its arguments, expressions as trees,
/// and nested blocks.
struct JSONExercise: Codable {
    var header: [String: String]
    var body: [JSONNode]
}

struct JSONNode: Codable {
    var line: Int
    var kind: String
    var name: String?
    var text: String?
    var durations: [JSONDuration]?
    var low: Int64?
    var high: Int64?
    var expression: JSONExpression?
    var target: String?
    var count: Int64?
    var block: [JSONNode]?
}

struct JSONDuration: Codable {
    var phase: String?
    var nanoseconds: Int64
}

struct JSONExpression: Codable {
    var op: String
    var value: String?
    var operands: [JSONExpression]?
}

extension JSONExercise {
    /// The JSON form of a parsed tree.
    init(_ tree: SyntaxTree) {
        var header: [String: String] = [:]
        for field in tree.header.fields { header[field.key] = field.value }
        self.init(header: header, body: tree.body.map(JSONNode.init))
    }
}

extension JSONNode {
    init(_ node: Node) {
        self.init(line: node.line.number, kind: "")
        switch node {
        case .blank: kind = "blank"
        case .comment: kind = "comment"
        case .invalid: kind = "invalid"
        case .prose(let prose):
            kind = "prose"
            text = prose.text.displayText
        case .statement(let statement):
            kind = statement.keyword
            block = statement.block?.map(JSONNode.init)
            switch statement.kind {
            case .pause(let duration, let caption):
                durations = [JSONDuration(phase: nil, nanoseconds: duration.value.nanoseconds)]
                text = caption?.displayText
            case .breathe(let phases):
                durations = phases.map { JSONDuration(phase: $0.kind.rawValue, nanoseconds: $0.duration.value.nanoseconds) }
            case .ask(let variable, let prompt, _):
                name = variable.text
                text = prompt.displayText
            case .write(let variable, let prompt, let limit):
                name = variable.text
                text = prompt.displayText
                durations = limit.map { [JSONDuration(phase: nil, nanoseconds: $0.value.nanoseconds)] }
            case .rate(let variable, let prompt, let low, let high, _):
                name = variable.text
                text = prompt.displayText
                self.low = low
                self.high = high
            case .choose(let variable, let prompt):
                name = variable.text
                text = prompt.displayText
            case .option(let label, _, let jump):
                text = label
                target = jump?.text
            case .if(let condition), .elif(let condition):
                expression = JSONExpression(condition)
            case .set(let variable, let value):
                name = variable.text
                expression = JSONExpression(value)
            case .repeatCount(let times, _, _):
                count = times
            case .repeatFor(let duration):
                durations = [JSONDuration(phase: nil, nanoseconds: duration.value.nanoseconds)]
            case .section(let section), .goto(let section), .call(let section):
                target = section.text
            case .include(let path, _):
                text = path
            case .else, .bell, .reflect, .end, .malformed:
                break
            }
        }
    }
}

extension JSONExpression {
    init(_ expression: Expression) {
        switch expression {
        case .number(let value, _): self.init(op: "number", value: String(value))
        case .text(let value, _): self.init(op: "text", value: value)
        case .variable(let reference): self.init(op: "variable", value: reference.displayName)
        case .negate(let operand, _): self.init(op: "negate", operands: [JSONExpression(operand)])
        case .not(let operand, _): self.init(op: "not", operands: [JSONExpression(operand)])
        case .parenthesized(let inner, _): self = JSONExpression(inner)
        case .binary(let op, let left, let right, _):
            self.init(op: op.rawValue, operands: [JSONExpression(left), JSONExpression(right)])
        }
    }
}
