/// Whether an expression is a value or a condition, from its shape alone: comparisons,
/// `and`, `or` and `not` make conditions; numbers, text, `+` and `-` make values; a bare
/// variable is a value, or a test of being set where a condition is wanted.
enum ExpressionShape {
    enum Shape { case value, condition, bareVariable }

    static func shape(_ expression: Expression) -> Shape {
        switch expression {
        case .number, .text, .negate: .value
        case .variable: .bareVariable
        case .not: .condition
        case .parenthesized(let inner, _): shape(inner) == .bareVariable ? .bareVariable : shape(inner)
        case .binary(let op, _, _, _): op.isArithmetic ? .value : .condition
        }
    }

    /// Checks a condition (for `@if`/`@elif`); reports `A032`/`A033` and returns false on a problem.
    static func checkCondition(_ expression: Expression, path: String, into diagnostics: inout [Diagnostic]) -> Bool {
        switch expression {
        case .parenthesized(let inner, _):
            return checkCondition(inner, path: path, into: &diagnostics)
        case .not(let operand, _):
            return checkCondition(operand, path: path, into: &diagnostics)
        case .binary(let op, let left, let right, _) where op.isLogical:
            let leftOK = checkCondition(left, path: path, into: &diagnostics)
            return checkCondition(right, path: path, into: &diagnostics) && leftOK
        case .binary(let op, let left, let right, _) where op.isComparison:
            let leftOK = checkValue(left, path: path, into: &diagnostics)
            return checkValue(right, path: path, into: &diagnostics) && leftOK
        case .variable:
            return true
        default:
            diagnostics.append(Diagnostic(.valueAsCondition,
                "this is a value, not a condition; compare it (`x > 3`) or test a variable (`@if name`)",
                path: path, range: expression.range))
            return false
        }
    }

    /// Checks a value (for `@set` and comparison operands).
    static func checkValue(_ expression: Expression, path: String, into diagnostics: inout [Diagnostic]) -> Bool {
        switch expression {
        case .number, .text, .variable:
            return true
        case .parenthesized(let inner, _), .negate(let inner, _):
            return checkValue(inner, path: path, into: &diagnostics)
        case .binary(let op, let left, let right, _) where op.isArithmetic:
            let leftOK = checkValue(left, path: path, into: &diagnostics)
            return checkValue(right, path: path, into: &diagnostics) && leftOK
        default:
            diagnostics.append(Diagnostic(.conditionAsValue,
                "a condition is not a value; `@set` and comparisons take values such as `a + 1`",
                path: path, range: expression.range))
            return false
        }
    }
}
